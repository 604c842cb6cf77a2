import type { Db, FeedbackDeliveryRow } from '../../db/index.ts';

export type DeliveryStatus = FeedbackDeliveryRow['status'];

/**
 * One learner's FEEDBACK.md on its way to their fork. `pending`: to commit (again, after `attempts`
 * tries that ended in `error`); `done`: committed as `commitSha`; `failed`: a person must act (the fork
 * was deleted or locked, or every try failed); released again or "Try again", it is pending anew.
 */
export interface FeedbackDelivery {
  assignmentId: string;
  userId: string;
  status: DeliveryStatus;
  attempts: number;
  commitSha: string | undefined;
  error: string | undefined;
  updatedAt: number;
}

const toDelivery = (r: FeedbackDeliveryRow): FeedbackDelivery => ({
  assignmentId: r.assignment_id,
  userId: r.user_id,
  status: r.status,
  attempts: r.attempts,
  commitSha: r.commit_sha ?? undefined,
  error: r.error ?? undefined,
  updatedAt: Number(r.updated_at),
});

const clip = (text: string) => (text.length > 1000 ? `${text.slice(0, 1000)}…` : text);

export function createFeedbackDeliveryStore(db: Db, now: () => number = Date.now) {
  /** Makes each learner's delivery pending from scratch (a release, a changed grade); the last commit is kept. */
  async function queue(assignmentId: string, userIds: string[]): Promise<void> {
    const t = now();
    for (const userId of userIds) {
      const fresh = { status: 'pending' as const, attempts: 0, error: null, updated_at: t };
      await db
        .insertInto('feedback_deliveries')
        .values({ assignment_id: assignmentId, user_id: userId, commit_sha: null, ...fresh })
        .onConflict((oc) => oc.columns(['assignment_id', 'user_id']).doUpdateSet(fresh))
        .execute();
    }
  }

  /** The pending deliveries of an assignment whose wait after their last try is over. */
  async function due(assignmentId: string, waitAfter: (attempts: number) => number) {
    const rows = await db
      .selectFrom('feedback_deliveries')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .where('status', '=', 'pending')
      .orderBy('updated_at')
      .execute();
    const t = now();
    return rows.map(toDelivery).filter((d) => d.attempts === 0 || d.updatedAt + waitAfter(d.attempts) <= t);
  }

  /**
   * Takes one try of a delivery: counts the attempt, and only if nobody changed the row since it was
   * read (another labgate took it, or a grade changed and queued it anew). Undefined when lost.
   */
  async function claim(d: FeedbackDelivery): Promise<FeedbackDelivery | undefined> {
    const t = Math.max(now(), d.updatedAt + 1);
    const r = await db
      .updateTable('feedback_deliveries')
      .set({ attempts: d.attempts + 1, updated_at: t })
      .where('assignment_id', '=', d.assignmentId)
      .where('user_id', '=', d.userId)
      .where('status', '=', 'pending')
      .where('attempts', '=', d.attempts)
      .where('updated_at', '=', d.updatedAt)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? { ...d, attempts: d.attempts + 1, updatedAt: t } : undefined;
  }

  /** Ends a claimed try; nothing is written when the row was queued anew meanwhile (it goes out again). */
  async function finish(
    d: FeedbackDelivery,
    outcome: { commitSha: string } | { error: string; giveUp: boolean },
  ): Promise<boolean> {
    const set =
      'commitSha' in outcome
        ? { status: 'done' as const, commit_sha: outcome.commitSha, error: null }
        : { status: outcome.giveUp ? ('failed' as const) : ('pending' as const), error: clip(outcome.error) };
    const r = await db
      .updateTable('feedback_deliveries')
      .set({ ...set, updated_at: Math.max(now(), d.updatedAt + 1) })
      .where('assignment_id', '=', d.assignmentId)
      .where('user_id', '=', d.userId)
      .where('status', '=', 'pending')
      .where('attempts', '=', d.attempts)
      .where('updated_at', '=', d.updatedAt)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async function listOf(assignmentId: string): Promise<FeedbackDelivery[]> {
    const rows = await db
      .selectFrom('feedback_deliveries')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .execute();
    return rows.map(toDelivery);
  }

  /** The failed deliveries of an assignment, pending again (the teacher's "Try again"). */
  async function retryFailed(assignmentId: string): Promise<number> {
    const r = await db
      .updateTable('feedback_deliveries')
      .set({ status: 'pending', attempts: 0, updated_at: now() })
      .where('assignment_id', '=', assignmentId)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /**
   * The language most of the course's sessions were opened in (the LMS's launch locale), French or
   * English: the course has no language of its own. English when nobody is signed in.
   */
  async function courseLang(courseId: string): Promise<'fr' | 'en'> {
    const rows = await db
      .selectFrom('sessions')
      .select(['locale', (eb) => eb.fn.countAll<number>().as('n')])
      .where('course_id', '=', courseId)
      .groupBy('locale')
      .execute();
    let fr = 0;
    let en = 0;
    for (const r of rows) {
      if (/^fr([-_]|$)/i.test(r.locale)) fr += Number(r.n);
      else if (/^en([-_]|$)/i.test(r.locale)) en += Number(r.n);
    }
    return fr > en ? 'fr' : 'en';
  }

  return { queue, due, claim, finish, listOf, retryFailed, courseLang };
}

export type FeedbackDeliveryStore = ReturnType<typeof createFeedbackDeliveryStore>;
