import type { Assignment, AssignmentStore, CourseStore, ForkStateStore } from '../courses/index.ts';
import { isForgeStatus, type Forge, type Provisioner } from '../forge/index.ts';
import {
  feedbackMarkdown,
  finalGrade,
  type FeedbackDelivery,
  type FeedbackDeliveryStore,
  type LatestGrading,
  type ReviewStore,
} from '../grading/index.ts';
import { createFeedbackSources, type FeedbackSources } from './feedback-sources.ts';
import { gradesErrors } from './grades-errors.ts';

import type { GradeQueue, GradesQueued, QueuedGrade } from './grade-queue.ts';

export type { GradeQueue, GradeQueueOutcome, GradesQueued, QueuedGrade } from './grade-queue.ts';

export interface FeedbackReleaseDeps {
  courses: Pick<CourseStore, 'findCourse'>;
  assignments: Pick<
    AssignmentStore,
    'findAssignment' | 'findAssignmentById' | 'listAllAssignments' | 'setFeedbackReleased'
  >;
  reviews: Pick<ReviewStore, 'latestGradings' | 'scoresOf' | 'scoresOfAssignment' | 'commentsOf'>;
  deliveries: FeedbackDeliveryStore;
  forkStates: Pick<ForkStateStore, 'addOwnCommit'>;
  forge: Pick<Forge, 'commitFiles' | 'findProject' | 'archive'>;
  provisioner: Pick<Provisioner, 'listForks'>;
  /** Absent while no passback is wired: feedback is still released, no grade is sent. */
  grades?: GradeQueue;
  onError: (err: unknown, what: string) => void;
  now?: () => number;
  /** Forks written at once per assignment. */
  concurrency?: number;
  maxAttempts?: number;
}

/** A round of FEEDBACK.md commits for one assignment, as the grades page shows it ("FEEDBACK.md 12/30"). */
export interface DeliveryProgress {
  total: number;
  done: number;
  failed: number;
  startedAt: number;
  finishedAt: number | undefined;
}

const bot = { name: 'labgate', email: 'labgate@localhost' };
/** Where FEEDBACK.md goes when the fork's own branch is locked (late policy `lock`). */
export const feedbackBranch = 'feedback';
const commitMessage = { fr: 'Retour de l’enseignant·e', en: 'Feedback from your teacher' };
const maxBytes = 200 * 2 ** 20;
/** Wait before try n+1: 30 s, 1 min, 2 min… at most an hour. */
const waitAfter = (attempts: number) => Math.min(30_000 * 2 ** Math.max(attempts - 1, 0), 3_600_000);

/** A delivery nobody can make until a person acts (the learner launches the assignment, a grading ends). */
class Undeliverable extends Error {}

/** Why a fork cannot take the commit for good (a person must act), or undefined for a passing fault. */
function lastingFault(err: unknown): string | undefined {
  if (err instanceof Undeliverable) return err.message;
  if (isForgeStatus(err, 404)) return 'The learner’s fork is no longer in GitLab (deleted or moved).';
  if (isForgeStatus(err, 403))
    return 'GitLab refuses labgate’s commits to this fork (its branches are locked).';
  return undefined;
}

/**
 * Releasing feedback: the switch per assignment, each graded learner's FEEDBACK.md committed to their
 * fork (retried round after round, one learner's failure never stopping the others), and their final
 * grades queued for the LMS. A grade changed after the release is delivered again (`refresh`).
 */
export function createFeedbackRelease(d: FeedbackReleaseDeps) {
  const now = d.now ?? Date.now;
  const maxAttempts = d.maxAttempts ?? 10;
  const progress = new Map<string, DeliveryProgress>();
  const running = new Map<string, Promise<void>>();

  async function assignmentOf(courseId: string, slug: string) {
    const a = (await d.courses.findCourse(courseId)) && (await d.assignments.findAssignment(courseId, slug));
    if (!a) throw gradesErrors.noAssignment(courseId, slug);
    return a;
  }

  /** Each graded learner's final grade (the general comment too once feedback is released). */
  async function finals(a: Assignment, only?: string): Promise<QueuedGrade[]> {
    const [gradings, scores] = await Promise.all([
      d.reviews.latestGradings(a.id, only),
      d.reviews.scoresOfAssignment(a.id),
    ]);
    return [...gradings].flatMap(([userId, g]) => {
      const f = finalGrade(g.result, scores.get(userId) ?? []);
      if (!(f.maxScore > 0)) return [];
      const comment = a.feedbackReleasedAt !== undefined ? f.comment : undefined;
      return [{ userId, score: f.final, maxScore: f.maxScore, ...(comment ? { comment } : {}) }];
    });
  }

  async function queueGrades(a: Assignment, only?: string): Promise<GradesQueued> {
    const grades = d.grades ? await finals(a, only) : [];
    const said = grades.length > 0 ? await d.grades?.queueGrades(a.id, grades) : undefined;
    const n = (list: string[] | undefined, otherwise: number) => (said ? (list?.length ?? 0) : otherwise);
    return {
      graded: grades.length,
      queued: n(said?.queued, grades.length),
      unchanged: n(said?.unchanged, 0),
      noLmsLink: n(said?.noLmsLink, 0),
    };
  }

  /** Releases the feedback: learners see it, each graded one gets FEEDBACK.md and their grade sent. */
  async function release(courseId: string, slug: string, by: string) {
    const a = await assignmentOf(courseId, slug);
    const at = now();
    await d.assignments.setFeedbackReleased(a.id, at);
    const released = { ...a, feedbackReleasedAt: at };
    const graded = [...(await d.reviews.latestGradings(a.id)).keys()];
    await d.deliveries.queue(a.id, graded);
    void start(released);
    const grades = await queueGrades(released);
    return { assignment: released, by, learners: graded.length, grades };
  }

  /** Takes the feedback back: learners no longer see it; FEEDBACK.md already committed stays in forks. */
  async function withdraw(courseId: string, slug: string) {
    const a = await assignmentOf(courseId, slug);
    await d.assignments.setFeedbackReleased(a.id, undefined);
    return { ...a, feedbackReleasedAt: undefined };
  }

  /** "Send grades to the LMS": every graded learner's final grade, queued again. */
  async function sendGrades(courseId: string, slug: string) {
    const a = await assignmentOf(courseId, slug);
    if (!d.grades) throw gradesErrors.noPassback();
    return { assignment: a, grades: await queueGrades(a) };
  }

  /**
   * A grader changed this learner's grade (or all of them, without `userId`, after regrading): once
   * released, their FEEDBACK.md is due again (next upkeep round, so a burst of edits makes one commit)
   * and their grade is queued again.
   */
  async function refresh(assignmentId: string, userId?: string) {
    const a = await d.assignments.findAssignmentById(assignmentId);
    if (!a || a.feedbackReleasedAt === undefined) return { feedback: 0, grades: undefined };
    const graded = [...(await d.reviews.latestGradings(a.id, userId)).keys()];
    await d.deliveries.queue(a.id, graded);
    return { feedback: graded.length, grades: await queueGrades(a, userId) };
  }

  /** Commits one learner's FEEDBACK.md; the commit counts as labgate's own, never as the learner's push. */
  async function deliverOne(
    a: Assignment,
    userId: string,
    grading: LatestGrading | undefined,
    fork: { id: number; defaultBranch: string } | undefined,
    o: { lang: 'fr' | 'en'; sources: FeedbackSources },
  ): Promise<string> {
    if (!grading) throw new Undeliverable('This learner has no finished grading any more.');
    if (!fork) throw new Undeliverable('This learner has no fork of the assignment (never launched it).');
    const [reviews, comments] = await Promise.all([
      d.reviews.scoresOf(a.id, userId),
      d.reviews.commentsOf(a.id, userId),
    ]);
    const [questions, cellNumbers] = await Promise.all([
      o.sources.questionsAt(a.gradingRepo, grading.gradingCommit),
      o.sources.cellNumbers(fork.id, grading.submissionCommit, comments).catch(() => undefined),
    ]);
    const text = feedbackMarkdown({
      lang: o.lang,
      assignmentTitle: a.title,
      grade: finalGrade(grading.result, reviews),
      result: grading.result,
      reviews,
      comments,
      ...(questions ? { questions } : {}),
      ...(cellNumbers ? { cellNumbers } : {}),
    });
    const files = [{ path: 'FEEDBACK.md', content: Buffer.from(text, 'utf8') }];
    const commit = (branch: string) =>
      d.forge.commitFiles(fork.id, {
        branch,
        startBranch: fork.defaultBranch,
        message: commitMessage[o.lang],
        files,
        author: bot,
      });
    // A branch locked at the deadline stays locked: the feedback then goes beside it, on `feedback`.
    const c = await commit(fork.defaultBranch).catch((err: unknown) => {
      if (isForgeStatus(err, 403)) return commit(feedbackBranch);
      throw err;
    });
    await d.forkStates.addOwnCommit(a.id, userId, fork.id, c.sha);
    return c.sha;
  }

  /** Every due delivery of one assignment, a few forks at a time, progress kept for the page. */
  async function deliverAssignment(a: Assignment): Promise<void> {
    const due = await d.deliveries.due(a.id, waitAfter);
    if (due.length === 0) return;
    const p: DeliveryProgress = {
      total: due.length,
      done: 0,
      failed: 0,
      startedAt: now(),
      finishedAt: undefined,
    };
    progress.set(a.id, p);
    const [forks, gradings, lang] = await Promise.all([
      d.provisioner.listForks(a.courseId, a.slug),
      d.reviews.latestGradings(a.id),
      d.deliveries.courseLang(a.courseId),
    ]);
    const forkOf = new Map(forks.flatMap((f) => (f.state.fork ? [[f.userId, f.state.fork] as const] : [])));
    const o = { lang, sources: createFeedbackSources(d.forge, maxBytes) };
    const one = async (row: FeedbackDelivery) => {
      const claimed = await d.deliveries.claim(row);
      if (!claimed) return void p.total--;
      try {
        const sha = await deliverOne(a, row.userId, gradings.get(row.userId), forkOf.get(row.userId), o);
        await d.deliveries.finish(claimed, { commitSha: sha });
        p.done++;
      } catch (err) {
        const lasting = lastingFault(err);
        const error = lasting ?? (err instanceof Error ? err.message : String(err));
        await d.deliveries.finish(claimed, { error, giveUp: !!lasting || claimed.attempts >= maxAttempts });
        p.failed++;
        d.onError(err, `FEEDBACK.md for ${row.userId} in ${a.courseId}/${a.slug}`);
      }
    };
    const queue = [...due];
    const workers = Array.from({ length: Math.min(d.concurrency ?? 4, queue.length) }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) await one(row);
    });
    await Promise.all(workers);
    p.finishedAt = now();
  }

  /** Delivers an assignment's due FEEDBACK.md files in the background unless a round of it runs. */
  function start(a: Assignment): Promise<void> {
    const current = running.get(a.id);
    if (current) return current;
    const job = deliverAssignment(a)
      .catch((err: unknown) => d.onError(err, `FEEDBACK.md of ${a.courseId}/${a.slug}`))
      .finally(() => running.delete(a.id));
    running.set(a.id, job);
    return job;
  }

  /** One upkeep round: the due deliveries of every assignment whose feedback is released. */
  async function deliverDue(): Promise<void> {
    for (const a of await d.assignments.listAllAssignments())
      if (a.feedbackReleasedAt !== undefined) await start(a);
  }

  /** "Try again" on the grades page: failed deliveries pending again, delivered now. */
  async function retryFailed(courseId: string, slug: string) {
    const a = await assignmentOf(courseId, slug);
    const n = await d.deliveries.retryFailed(a.id);
    if (a.feedbackReleasedAt !== undefined) start(a);
    return n;
  }

  return {
    release,
    withdraw,
    sendGrades,
    refresh,
    deliverDue,
    retryFailed,
    progress: (assignmentId: string) => progress.get(assignmentId),
    /** Resolves when the deliveries running now end (tests, shutdown). */
    settled: async () => void (await Promise.allSettled([...running.values()])),
  };
}

export type FeedbackRelease = ReturnType<typeof createFeedbackRelease>;
