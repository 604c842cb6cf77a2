import { sql } from 'kysely';
import type { Db, GradeOutboxRow } from '../db/index.ts';
import { AppError } from '../errors.ts';

export type OutboxStatus = GradeOutboxRow['status'];

/** The newest grade to send for one learner and assignment, and how sending it went so far. */
export interface OutboxGrade {
  assignmentId: string;
  userId: string;
  score: number;
  maxScore: number;
  comment: string | undefined;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  /** The LMS's answer to the last attempt, or what kept labgate from reaching it. */
  answer: string | undefined;
  /** This grade's version and its AGS `timestamp`: strictly increasing per row. */
  scoredAt: number;
  sentAt: number | undefined;
}

/** A grade leased to one sender: its marks apply only while the lease and the version still hold. */
export interface ClaimedGrade extends OutboxGrade {
  leaseOwner: string;
}

export interface GradeToQueue {
  assignmentId: string;
  userId: string;
  score: number;
  maxScore: number;
  comment?: string | undefined;
  /** When the grade was decided (ms); now by default. */
  scoredAt?: number | undefined;
}

/** What a mark did: written, or not because a newer grade (or another sender) took the row meanwhile. */
export type MarkResult = 'marked' | 'stale';

export interface OutboxOptions {
  /** After this many attempts a grade that still could not be delivered is `failed`. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0 ≤ x < 1; spreads retries so a recovering LMS is not hit by every learner at once. */
  random: () => number;
}

const defaults: OutboxOptions = {
  maxAttempts: 8,
  baseDelayMs: 15_000,
  maxDelayMs: 3_600_000,
  random: Math.random,
};

const toGrade = (r: GradeOutboxRow): OutboxGrade => ({
  assignmentId: r.assignment_id,
  userId: r.user_id,
  score: Number(r.score),
  maxScore: Number(r.max_score),
  comment: r.comment ?? undefined,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: Number(r.next_attempt_at),
  answer: r.answer ?? undefined,
  scoredAt: Number(r.scored_at),
  sentAt: r.sent_at === null ? undefined : Number(r.sent_at),
});

const badGrade = (why: string) =>
  new AppError({
    code: 'PASSBACK_BAD_GRADE',
    status: 422,
    message: `This grade cannot be sent to the LMS: ${why}.`,
    hint: 'This is a defect in labgate: report it with the message above.',
  });

// Answers end up on the roster; an LMS's error page could be megabytes.
const clip = (text: string) => (text.length > 2000 ? `${text.slice(0, 2000)}…` : text);

/**
 * grade_outbox: the durable queue of grades on their way to LMSs. One row per (assignment, learner)
 * holding the newest grade; senders lease due rows, and every mark checks the lease and `scored_at`, so
 * a send that ends after a newer grade was queued never marks that newer grade as sent.
 */
export function createGradeOutbox(
  db: Db,
  now: () => number = Date.now,
  options: Partial<OutboxOptions> = {},
) {
  const o = { ...defaults, ...options };

  /** Queues a grade: `pending`, due now; a grade equal to the one pending or sent is left as it is. */
  async function queue(g: GradeToQueue): Promise<'queued' | 'unchanged'> {
    if (!Number.isFinite(g.score)) throw badGrade(`the score ${g.score} is not a number`);
    if (!Number.isFinite(g.maxScore) || g.maxScore <= 0)
      throw badGrade(`the maximum score ${g.maxScore} is not a positive number`);
    const t = now();
    const comment = g.comment?.trim() ? g.comment : null;
    const result = await db
      .insertInto('grade_outbox')
      .values({
        assignment_id: g.assignmentId,
        user_id: g.userId,
        score: g.score,
        max_score: g.maxScore,
        comment,
        status: 'pending',
        attempts: 0,
        next_attempt_at: t,
        lease_owner: null,
        lease_until: null,
        answer: null,
        scored_at: Math.floor(g.scoredAt ?? t),
        sent_at: null,
        created_at: t,
        updated_at: t,
      })
      .onConflict((oc) =>
        oc
          .columns(['assignment_id', 'user_id'])
          // The lease stays: a send in flight ends first (then finds its grade stale), no two at once.
          .doUpdateSet((eb) => ({
            score: eb.ref('excluded.score'),
            max_score: eb.ref('excluded.max_score'),
            comment: eb.ref('excluded.comment'),
            status: 'pending',
            attempts: 0,
            next_attempt_at: t,
            answer: null,
            sent_at: null,
            updated_at: t,
            scored_at: sql<number>`case when excluded.scored_at > grade_outbox.scored_at then excluded.scored_at else grade_outbox.scored_at + 1 end`,
          }))
          .where(
            sql<boolean>`not (grade_outbox.status in ('pending', 'sent') and grade_outbox.score = excluded.score and grade_outbox.max_score = excluded.max_score and coalesce(grade_outbox.comment, '') = coalesce(excluded.comment, ''))`,
          ),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'queued' : 'unchanged';
  }

  /** Leases up to `limit` due grades to `owner`; a lease that ran out (a crashed sender) is due again. */
  async function claimDue(limit: number, owner: string, leaseMs: number): Promise<ClaimedGrade[]> {
    const t = now();
    const due = await db
      .selectFrom('grade_outbox')
      .select(['assignment_id', 'user_id'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', t)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', t)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    const claimed: ClaimedGrade[] = [];
    for (const d of due) {
      // Only one sender wins a row: the update checks again that it is due and free.
      const row = await db
        .updateTable('grade_outbox')
        .set({ lease_owner: owner, lease_until: t + leaseMs })
        .where('assignment_id', '=', d.assignment_id)
        .where('user_id', '=', d.user_id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', t)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', t)]))
        .returningAll()
        .executeTakeFirst();
      if (row) claimed.push({ ...toGrade(row), leaseOwner: owner });
    }
    return claimed;
  }

  /** Writes the end of an attempt if `g` is still the row's grade and still leased by its sender. */
  async function mark(g: ClaimedGrade, change: Partial<GradeOutboxRow>): Promise<MarkResult> {
    const t = now();
    const result = await db
      .updateTable('grade_outbox')
      .set({ ...change, lease_owner: null, lease_until: null, updated_at: t })
      .where('assignment_id', '=', g.assignmentId)
      .where('user_id', '=', g.userId)
      .where('lease_owner', '=', g.leaseOwner)
      .where('scored_at', '=', g.scoredAt)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return 'marked';
    // A newer grade arrived while this one was on its way: free the row so that it goes out now.
    await db
      .updateTable('grade_outbox')
      .set({ lease_owner: null, lease_until: null })
      .where('assignment_id', '=', g.assignmentId)
      .where('user_id', '=', g.userId)
      .where('lease_owner', '=', g.leaseOwner)
      .execute();
    return 'stale';
  }

  const markSent = (g: ClaimedGrade, answer: string) =>
    mark(g, { status: 'sent', attempts: g.attempts + 1, answer: clip(answer), sent_at: now() });

  const markFailed = (g: ClaimedGrade, answer: string) =>
    mark(g, { status: 'failed', attempts: g.attempts + 1, answer: clip(answer) });

  /** Delay before attempt n+1 (n ≥ 1 done): 15 s · 2^(n-1), at most an hour, plus up to 10 % jitter. */
  const backoff = (attemptsDone: number) => {
    const delay = Math.min(o.baseDelayMs * 2 ** Math.max(attemptsDone - 1, 0), o.maxDelayMs);
    return Math.round(delay * (1 + 0.1 * o.random()));
  };

  /**
   * A failure worth retrying: due again after the backoff (or the LMS's Retry-After if longer), `failed`
   * after the last attempt. The version moves on by 1 ms, so a retry is a later AGS timestamp than an
   * attempt the LMS may have stored without answering (Open edX refuses a timestamp it already has).
   */
  async function markRetry(g: ClaimedGrade, answer: string, retryAfterMs = 0): Promise<MarkResult> {
    const attempts = g.attempts + 1;
    if (attempts >= o.maxAttempts) return markFailed(g, answer);
    const wait = Math.max(backoff(attempts), Math.min(retryAfterMs, o.maxDelayMs));
    return mark(g, {
      attempts,
      answer: clip(answer),
      next_attempt_at: now() + wait,
      scored_at: g.scoredAt + 1,
    });
  }

  /** Sends the learner's grade again (the teacher's button): pending, attempts 0, due now, a new version. */
  async function sendAgain(assignmentId: string, userId: string): Promise<boolean> {
    const t = now();
    const result = await db
      .updateTable('grade_outbox')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: t,
        answer: null,
        updated_at: t,
        scored_at: sql<number>`case when scored_at >= ${t} then scored_at + 1 else ${t} end`,
      })
      .where('assignment_id', '=', assignmentId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async function findGrade(assignmentId: string, userId: string): Promise<OutboxGrade | undefined> {
    const row = await db
      .selectFrom('grade_outbox')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toGrade(row);
  }

  async function statusOf(assignmentId: string): Promise<Map<string, OutboxGrade>> {
    const rows = await db
      .selectFrom('grade_outbox')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .execute();
    return new Map(rows.map((r) => [r.user_id, toGrade(r)]));
  }

  /** How many grades are in each state (metrics: `pending` is the outbox's depth). */
  async function depth(): Promise<Record<OutboxStatus, number>> {
    const rows = await db
      .selectFrom('grade_outbox')
      .select(['status', db.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  return { queue, claimDue, markSent, markRetry, markFailed, sendAgain, findGrade, statusOf, depth };
}

export type GradeOutbox = ReturnType<typeof createGradeOutbox>;
