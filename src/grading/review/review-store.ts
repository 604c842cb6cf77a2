import { randomUUID } from 'node:crypto';
import type { Db, ReviewCommentRow, ReviewScoreRow } from '../../db/index.ts';
import type { GradeResult } from '../grading.ts';

/** A grader's decision on one question; `questionId` '' holds the general comment on the submission. */
export interface ReviewScore {
  questionId: string;
  /** Overrides the automatic score; undefined keeps it (plus any rubric items ticked). */
  score: number | undefined;
  /** The rubric items ticked (index over the question's `manual` checks' items in order), with their points then. */
  rubric: RubricTick[];
  comment: string | undefined;
  version: number;
  gradedBy: string;
  gradedAt: number;
}

export interface ReviewComment {
  id: string;
  /** '' for a comment on the whole submission. */
  file: string;
  /** The block's anchor (cell id, `#<index>`), '' for the whole file. */
  cell: string;
  line: number | undefined;
  body: string;
  version: number;
  authorId: string;
  createdAt: number;
  updatedAt: number;
}

export interface RubricTick {
  item: number;
  points: number;
}

const ticks = (json: string): RubricTick[] =>
  (JSON.parse(json) as RubricTick[]).filter((t) => Number.isInteger(t?.item) && Number.isFinite(t?.points));

/** A save that started from an older version than the stored one: the stored row is returned instead. */
export type Saved<T> = { ok: true; value: T } | { ok: false; current: T | undefined };

/** The newest finished grading of one learner's submission, with its result per question. */
export interface LatestGrading {
  jobId: string;
  submissionCommit: string;
  gradingCommit: string;
  finishedAt: number;
  result: GradeResult;
}

const toScore = (r: ReviewScoreRow): ReviewScore => ({
  questionId: r.question_id,
  score: r.score ?? undefined,
  rubric: ticks(r.rubric),
  comment: r.comment ?? undefined,
  version: r.version,
  gradedBy: r.graded_by,
  gradedAt: r.graded_at,
});

const toComment = (r: ReviewCommentRow): ReviewComment => ({
  id: r.id,
  file: r.file,
  cell: r.cell,
  line: r.line ?? undefined,
  body: r.body,
  version: r.version,
  authorId: r.author_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * Graders' scores and comments. Every row carries a version; a save names the version it was made
 * from and is refused when another grader saved in between, so nobody overwrites an edit unseen.
 */
export function createReviewStore(db: Db, now: () => number = Date.now) {
  async function scoresOf(assignmentId: string, userId: string): Promise<ReviewScore[]> {
    const rows = await db
      .selectFrom('review_scores')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .where('user_id', '=', userId)
      .orderBy('question_id')
      .execute();
    return rows.map(toScore);
  }

  /** Every learner's decisions for one assignment, by learner. */
  async function scoresOfAssignment(assignmentId: string): Promise<Map<string, ReviewScore[]>> {
    const rows = await db
      .selectFrom('review_scores')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .execute();
    const byUser = new Map<string, ReviewScore[]>();
    for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), toScore(r)]);
    return byUser;
  }

  async function findScore(assignmentId: string, userId: string, questionId: string) {
    const row = await db
      .selectFrom('review_scores')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .where('user_id', '=', userId)
      .where('question_id', '=', questionId)
      .executeTakeFirst();
    return row && toScore(row);
  }

  /** Saves one question's decision made from `fromVersion` (0: none existed). */
  async function saveScore(o: {
    assignmentId: string;
    userId: string;
    questionId: string;
    score: number | undefined;
    rubric: RubricTick[];
    comment: string | undefined;
    fromVersion: number;
    graderId: string;
  }): Promise<Saved<ReviewScore>> {
    const values = {
      score: o.score ?? null,
      rubric: JSON.stringify(
        [...new Map(o.rubric.map((t) => [t.item, t])).values()].sort((a, b) => a.item - b.item),
      ),
      comment: o.comment?.trim() ? o.comment : null,
      graded_by: o.graderId,
      graded_at: now(),
    };
    const key = { assignment_id: o.assignmentId, user_id: o.userId, question_id: o.questionId };
    let ok: boolean;
    if (o.fromVersion === 0) {
      const r = await db
        .insertInto('review_scores')
        .values({ ...key, ...values, version: 1 })
        .onConflict((oc) => oc.columns(['assignment_id', 'user_id', 'question_id']).doNothing())
        .executeTakeFirst();
      ok = Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
    } else {
      const r = await db
        .updateTable('review_scores')
        .set({ ...values, version: o.fromVersion + 1 })
        .where('assignment_id', '=', o.assignmentId)
        .where('user_id', '=', o.userId)
        .where('question_id', '=', o.questionId)
        .where('version', '=', o.fromVersion)
        .executeTakeFirst();
      ok = Number(r.numUpdatedRows) === 1;
    }
    const current = await findScore(o.assignmentId, o.userId, o.questionId);
    return ok && current ? { ok: true, value: current } : { ok: false, current };
  }

  async function commentsOf(assignmentId: string, userId: string): Promise<ReviewComment[]> {
    const rows = await db
      .selectFrom('review_comments')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toComment);
  }

  async function findComment(assignmentId: string, userId: string, id: string) {
    const row = await db
      .selectFrom('review_comments')
      .selectAll()
      .where('id', '=', id)
      .where('assignment_id', '=', assignmentId)
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row && toComment(row);
  }

  async function addComment(o: {
    assignmentId: string;
    userId: string;
    file: string;
    cell: string;
    line: number | undefined;
    body: string;
    authorId: string;
  }): Promise<ReviewComment> {
    const t = now();
    const row: ReviewCommentRow = {
      id: randomUUID(),
      assignment_id: o.assignmentId,
      user_id: o.userId,
      file: o.file,
      cell: o.cell,
      line: o.line ?? null,
      body: o.body,
      version: 1,
      author_id: o.authorId,
      created_at: t,
      updated_at: t,
      deleted_at: null,
    };
    await db.insertInto('review_comments').values(row).execute();
    return toComment(row);
  }

  /** Edits (a new body) or deletes (undefined) a comment, from the version the grader saw. */
  async function changeComment(o: {
    assignmentId: string;
    userId: string;
    id: string;
    body: string | undefined;
    fromVersion: number;
  }): Promise<Saved<ReviewComment | undefined>> {
    const t = now();
    const r = await db
      .updateTable('review_comments')
      .set(
        o.body === undefined
          ? { deleted_at: t, updated_at: t, version: o.fromVersion + 1 }
          : { body: o.body, updated_at: t, version: o.fromVersion + 1 },
      )
      .where('id', '=', o.id)
      .where('assignment_id', '=', o.assignmentId)
      .where('user_id', '=', o.userId)
      .where('version', '=', o.fromVersion)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    const current = await findComment(o.assignmentId, o.userId, o.id);
    if (Number(r.numUpdatedRows) !== 1) return { ok: false, current };
    return { ok: true, value: current };
  }

  /** The newest finished grading of each learner of an assignment (any run), by learner. */
  async function latestGradings(assignmentId: string, userId?: string): Promise<Map<string, LatestGrading>> {
    let q = db
      .selectFrom('grading_jobs')
      .select(['id', 'user_id', 'submission_commit', 'grading_commit', 'finished_at', 'result'])
      .where('assignment_id', '=', assignmentId)
      .where('status', '=', 'done');
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    const rows = await q.orderBy('finished_at').orderBy('id').execute();
    const latest = new Map<string, LatestGrading>();
    for (const r of rows)
      if (r.result)
        latest.set(r.user_id, {
          jobId: r.id,
          submissionCommit: r.submission_commit,
          gradingCommit: r.grading_commit,
          finishedAt: Number(r.finished_at ?? 0),
          result: JSON.parse(r.result) as GradeResult,
        });
    return latest;
  }

  /** The assignments whose feedback is released to this learner (graded, the switch on), newest first. */
  async function releasedFeedbackOf(userId: string) {
    const rows = await db
      .selectFrom('assignments')
      .select(['course_id', 'slug', 'title', 'feedback_released_at'])
      .where('feedback_released_at', 'is not', null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('grading_jobs')
            .select('grading_jobs.id')
            .whereRef('grading_jobs.assignment_id', '=', 'assignments.id')
            .where('grading_jobs.user_id', '=', userId)
            .where('grading_jobs.status', '=', 'done'),
        ),
      )
      .orderBy('feedback_released_at', 'desc')
      .execute();
    return rows.map((r) => ({
      courseId: r.course_id,
      slug: r.slug,
      title: r.title,
      releasedAt: Number(r.feedback_released_at),
    }));
  }

  return {
    releasedFeedbackOf,
    scoresOf,
    scoresOfAssignment,
    saveScore,
    commentsOf,
    addComment,
    changeComment,
    latestGradings,
  };
}

export type ReviewStore = ReturnType<typeof createReviewStore>;
