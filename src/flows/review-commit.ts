import type { Submission } from '../courses/index.ts';
import type { LatestGrading } from '../grading/index.ts';

/** Which of the learner's commits a grader reviews, and why that one. */
export interface ReviewedCommit {
  sha: string;
  /** `submission`: recorded at the deadline; `grading`: what the newest grading ran on; `latest`: the fork's newest. */
  source: 'submission' | 'grading' | 'latest';
  /** When the forge received it (`forge`), or the commit's own date, the learner's clock (`commit`). */
  at: number | undefined;
  clock: 'forge' | 'commit' | undefined;
  /** After the learner's deadline; undefined when nothing says. */
  late: boolean | undefined;
  deadline: number | undefined;
  /** A push after the deadline that the recorded submission leaves out. */
  latePush: { sha: string; pushedAt: number } | undefined;
}

/**
 * The commit to review: the one recorded at the deadline, else the one the newest grading ran on,
 * else the fork's newest (asked of the forge only then).
 */
export async function chooseCommit(o: {
  record: Submission | undefined;
  grading: LatestGrading | undefined;
  latest: () => Promise<{ sha: string; committedAt: string } | undefined>;
  /** The newest push the forge received from the learner (its clock). */
  lastPushAt: number | undefined;
  deadline: number | undefined;
  now: number;
}): Promise<ReviewedCommit | undefined> {
  const { record, deadline } = o;
  const base = { deadline, latePush: record?.late };
  if (record?.commit)
    return {
      ...base,
      sha: record.commit.sha,
      source: 'submission',
      at: record.commit.pushedAt,
      clock: 'forge',
      late: false,
    };
  // A record without a commit: the deadline passed with nothing received, so anything later is late.
  const lateness = (at: number | undefined) =>
    deadline === undefined
      ? false
      : record
        ? true
        : at !== undefined
          ? at > deadline
          : o.now <= deadline
            ? false
            : undefined;
  if (o.grading) {
    const sha = o.grading.submissionCommit;
    const at = record?.late?.sha === sha ? record.late.pushedAt : undefined;
    return {
      ...base,
      sha,
      source: 'grading',
      at,
      clock: at === undefined ? undefined : 'forge',
      late: lateness(at),
    };
  }
  const latest = await o.latest();
  if (!latest) return undefined;
  const pushed = o.lastPushAt;
  const committed = Date.parse(latest.committedAt);
  return {
    ...base,
    sha: latest.sha,
    source: 'latest',
    at: pushed ?? (Number.isNaN(committed) ? undefined : committed),
    clock: pushed !== undefined ? 'forge' : Number.isNaN(committed) ? undefined : 'commit',
    late: lateness(pushed),
  };
}
