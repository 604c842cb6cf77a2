import type { AssignmentStore, CourseStore, RosterStore, SubmissionStore } from '../courses/index.ts';
import { delayText } from '../courses/index.ts';
import { isAppError } from '../errors.ts';
import type { Forge } from '../forge/index.ts';
import { filesOf } from '../grading/index.ts';
import type { Logger } from '../logger.ts';
import { collectErrors } from './collect-errors.ts';
import { shownName, unsafePathReason } from './collect-paths.ts';
import { planLearners, type ManifestRow, type PlannedLearner } from './collect-plan.ts';

export interface CollectDeps {
  forge: Pick<Forge, 'archive'>;
  courses: Pick<CourseStore, 'findCourse'>;
  assignments: Pick<AssignmentStore, 'findAssignment'>;
  submissions: Pick<SubmissionStore, 'submissionsOf'>;
  roster: RosterStore;
  /** The most one learner's submitted files may take; over it, that learner is marked failed. */
  maxLearnerBytes: number;
  log?: Pick<Logger, 'warn'>;
}

/** A learner's files (paths checked safe, relative to their assignment folder) and manifest line. */
export interface CollectedLearner {
  folder: string;
  /** Undefined when nothing is to be written for them (nothing submitted, or a failure). */
  files: Array<{ path: string; bytes: Buffer }> | undefined;
  /** The forge's time of the push that brought the commit in. */
  pushedAt: number | undefined;
  row: ManifestRow;
}

export type CollectProgress = { done: number; total: number; failed: number };
export type CollectPlan = Awaited<ReturnType<ReturnType<typeof createCollector>['prepare']>>;

const iso = (t: number | undefined) => (t === undefined ? '' : new Date(t).toISOString());

function rowOf(l: PlannedLearner): ManifestRow {
  const s = l.submission;
  const late = s?.late;
  const deadline = s?.deadline ?? l.deadline;
  return {
    folder: l.folder,
    name: l.name,
    lmsId: l.lmsId,
    gitlabUsername: l.gitlabUsername,
    commit: s?.commit?.sha ?? '',
    pushedAt: iso(s?.commit?.pushedAt),
    deadline: iso(deadline),
    late: late ? 'yes' : 'no',
    lateDelay: late && deadline !== undefined ? delayText(late.pushedAt - deadline) : '',
    lateCommit: late?.sha ?? '',
    tag: s?.tag ?? '',
    status: s?.commit ? 'submitted' : 'nothing submitted',
    files: 0,
    skipped: [],
  };
}

/**
 * Collecting an assignment's submissions: for each learner, the commit recorded at their deadline,
 * read as the forge's archive (no git runs on learner content), its regular files with safe paths
 * kept and everything else listed as skipped. A few learners at once; yielded in folder order.
 */
export function createCollector(d: CollectDeps) {
  async function prepare(courseId: string, slug: string) {
    const course = await d.courses.findCourse(courseId);
    if (!course) throw collectErrors.noCourse(courseId);
    const assignment = await d.assignments.findAssignment(courseId, slug);
    if (!assignment) throw collectErrors.noAssignment(courseId, slug);
    const submissions = await d.submissions.submissionsOf(assignment.id);
    if (submissions.length === 0) throw collectErrors.nothingRecorded(slug, assignment.deadline);
    const learners = planLearners(assignment, await d.roster(courseId, assignment), submissions);
    return { course, assignment, learners };
  }

  async function collectOne(l: PlannedLearner): Promise<CollectedLearner> {
    const row = rowOf(l);
    const commit = l.submission?.commit;
    if (!commit || !l.submission) return { folder: l.folder, files: undefined, pushedAt: undefined, row };
    try {
      const tar = await d.forge.archive(l.submission.forkId, commit.sha, d.maxLearnerBytes);
      const skip = (name: string, why: string) => row.skipped.push(`${shownName(name)} (${why})`);
      const all = await filesOf(tar, d.maxLearnerBytes, 1, skip);
      const files: Array<{ path: string; bytes: Buffer }> = [];
      for (const [path, bytes] of [...all].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const unsafe = unsafePathReason(path);
        if (unsafe) skip(path, unsafe);
        else files.push({ path, bytes });
      }
      row.files = files.length;
      return { folder: l.folder, files, pushedAt: commit.pushedAt, row };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const reason =
        isAppError(err) || err instanceof RangeError ? message : `unreadable archive: ${message}`;
      d.log?.warn({ err, userId: l.userId, forkId: l.submission.forkId }, 'collecting a submission failed');
      row.status = `failed: ${reason}`;
      return { folder: l.folder, files: undefined, pushedAt: undefined, row };
    }
  }

  /** The learners' files, `concurrency` fetched ahead at most (each up to maxLearnerBytes in memory). */
  async function* collect(
    plan: CollectPlan,
    o: { concurrency?: number; onProgress?: (p: CollectProgress) => void } = {},
  ): AsyncGenerator<CollectedLearner> {
    const total = plan.learners.length;
    const ahead: Array<Promise<CollectedLearner>> = [];
    let next = 0;
    let done = 0;
    let failed = 0;
    const startNext = () => {
      if (next < total) ahead.push(collectOne(plan.learners[next++]!));
    };
    for (let i = 0; i < Math.max(1, o.concurrency ?? 4); i++) startNext();
    o.onProgress?.({ done, total, failed });
    while (ahead.length > 0) {
      const learner = await ahead.shift()!;
      startNext();
      yield learner;
      done += 1;
      if (learner.row.status.startsWith('failed')) failed += 1;
      o.onProgress?.({ done, total, failed });
    }
  }

  return { prepare, collect };
}

export type Collector = ReturnType<typeof createCollector>;
