import type { Db, SubmissionRow } from '../db/index.ts';

/** What a learner handed in: the last commit the forge received before their deadline. */
export interface Submission {
  assignmentId: string;
  userId: string;
  forkId: number;
  deadline: number;
  commit: { sha: string; pushedAt: number } | undefined;
  /** The `submitted/<UTC time>` tag on the fork, once made. */
  tag: string | undefined;
  lockedAt: number | undefined;
  recordedAt: number;
  /** The newest push after the deadline. */
  late: { sha: string; pushedAt: number } | undefined;
}

const toSubmission = (r: SubmissionRow): Submission => ({
  assignmentId: r.assignment_id,
  userId: r.user_id,
  forkId: r.fork_id,
  deadline: Number(r.deadline),
  commit: r.commit_sha ? { sha: r.commit_sha, pushedAt: Number(r.pushed_at) } : undefined,
  tag: r.tag ?? undefined,
  lockedAt: r.locked_at === null ? undefined : Number(r.locked_at),
  recordedAt: Number(r.recorded_at),
  late: r.late_sha ? { sha: r.late_sha, pushedAt: Number(r.late_pushed_at) } : undefined,
});

export function createSubmissionStore(db: Db) {
  /** Records (or re-records, when the deadline moved or a push arrived late) a learner's submission. */
  async function saveSubmission(s: Submission): Promise<void> {
    const row = {
      fork_id: s.forkId,
      deadline: s.deadline,
      commit_sha: s.commit?.sha ?? null,
      pushed_at: s.commit?.pushedAt ?? null,
      tag: s.tag ?? null,
      locked_at: s.lockedAt ?? null,
      recorded_at: s.recordedAt,
      late_sha: s.late?.sha ?? null,
      late_pushed_at: s.late?.pushedAt ?? null,
    };
    await db
      .insertInto('submissions')
      .values({ assignment_id: s.assignmentId, user_id: s.userId, ...row })
      .onConflict((c) => c.columns(['assignment_id', 'user_id']).doUpdateSet(row))
      .execute();
  }

  async function submissionsOf(assignmentId: string): Promise<Submission[]> {
    const rows = await db
      .selectFrom('submissions')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .execute();
    return rows.map(toSubmission);
  }

  async function findSubmission(assignmentId: string, userId: string): Promise<Submission | undefined> {
    const row = await db
      .selectFrom('submissions')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toSubmission(row);
  }

  /** A learner's submissions across the assignments (their home page's receipts). */
  async function submissionsOfUser(userId: string): Promise<Submission[]> {
    const rows = await db.selectFrom('submissions').selectAll().where('user_id', '=', userId).execute();
    return rows.map(toSubmission);
  }

  async function removeSubmission(assignmentId: string, userId: string): Promise<void> {
    await db
      .deleteFrom('submissions')
      .where('assignment_id', '=', assignmentId)
      .where('user_id', '=', userId)
      .execute();
  }

  return { saveSubmission, submissionsOf, findSubmission, submissionsOfUser, removeSubmission };
}

export type SubmissionStore = ReturnType<typeof createSubmissionStore>;
