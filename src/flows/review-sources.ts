import type { Assignment, SubmissionStore } from '../courses/index.ts';
import { isAppError } from '../errors.ts';
import type { Provisioner } from '../forge/index.ts';
import {
  filesOf,
  type Files,
  type GradingSpec,
  type LatestGrading,
  type ReviewStore,
} from '../grading/index.ts';
import { filesAtNewest, loadAssignmentSpec, type RepoReader } from './assignment-spec.ts';
import { chooseCommit, type ReviewedCommit } from './review-commit.ts';

export interface SourcesDeps {
  forge: RepoReader;
  provisioner: Pick<Provisioner, 'listForUser'>;
  submissions: Pick<SubmissionStore, 'findSubmission'>;
  reviews: Pick<ReviewStore, 'latestGradings'>;
  maxSubmissionBytes: number;
  now: () => number;
}

/** The grading rules when they load; why not otherwise (undefined: the assignment has no grading repository). */
export type SpecState =
  | { ok: true; spec: GradingSpec; expected: Files; gradingCommit: string }
  | { ok: false; problem: string }
  | undefined;

/** Everything a review of one learner's work starts from. */
export interface ReviewSources {
  spec: SpecState;
  template: { files: Files; commit: string | undefined; problem: string | undefined };
  fork: { id: number; path: string; defaultBranch: string } | undefined;
  commit: ReviewedCommit | undefined;
  learner: Files;
  /** Why the learner's files could not be read (their commit is gone, the archive is too big…). */
  problem: string | undefined;
  grading: LatestGrading | undefined;
}

const say = (err: unknown) => {
  if (isAppError(err) || err instanceof RangeError) return err.message;
  throw err;
};

async function specAndTemplate(d: SourcesDeps, a: Assignment) {
  const max = d.maxSubmissionBytes;
  let spec: SpecState;
  if (a.gradingRepo)
    try {
      const s = await loadAssignmentSpec(d.forge, a, a.gradingRepo, max);
      spec = { ok: true, spec: s.spec, expected: s.expected, gradingCommit: s.gradingCommit };
      return { spec, template: { files: s.template, commit: s.templateCommit, problem: undefined } };
    } catch (err) {
      spec = { ok: false, problem: say(err) };
    }
  try {
    const t = await filesAtNewest(d.forge, a.template, 'template', max);
    return { spec, template: { files: t.files, commit: t.commit, problem: undefined } };
  } catch (err) {
    return { spec, template: { files: new Map() as Files, commit: undefined, problem: say(err) } };
  }
}

/**
 * Loads what a review starts from: grading.yml and the expected files, the template, and the learner's
 * files at the commit reviewed (recorded at the deadline, else graded last, else their newest).
 */
export async function loadSources(
  d: SourcesDeps,
  a: Assignment,
  learner: { userId: string; deadline: number | undefined; lastPushAt: number | undefined },
  o: { withFiles: boolean } = { withFiles: true },
): Promise<ReviewSources> {
  const [start, jobs, record, gradings] = await Promise.all([
    specAndTemplate(d, a),
    d.provisioner.listForUser(learner.userId),
    d.submissions.findSubmission(a.id, learner.userId),
    d.reviews.latestGradings(a.id, learner.userId),
  ]);
  const job = jobs.find(
    (j) =>
      j.spec.kind === 'fork' &&
      j.status === 'done' &&
      j.spec.course.id === a.courseId &&
      j.spec.assignment.slug === a.slug,
  );
  const f = job?.state.fork;
  const fork = f && { id: f.id, path: f.pathWithNamespace, defaultBranch: f.defaultBranch };
  const grading = gradings.get(learner.userId);
  const commit = fork
    ? await chooseCommit({
        record,
        grading,
        latest: () => d.forge.latestCommit(fork.id, fork.defaultBranch),
        lastPushAt: learner.lastPushAt,
        deadline: learner.deadline,
        now: d.now(),
      })
    : undefined;
  let files: Files = new Map();
  let problem: string | undefined;
  if (fork && commit && o.withFiles)
    try {
      const max = d.maxSubmissionBytes;
      files = await filesOf(await d.forge.archive(fork.id, commit.sha, max), max);
    } catch (err) {
      problem = say(err);
    }
  return { ...start, fork, commit, learner: files, problem, grading };
}
