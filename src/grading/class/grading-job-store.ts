import { randomUUID } from 'node:crypto';
import type { ExpressionBuilder } from 'kysely';
import type { Database, Db, GradingJobRow } from '../../db/index.ts';
import type { GradeResult } from '../grading.ts';

export type GradingJobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface GradingJob {
  id: string;
  runId: string;
  assignmentId: string;
  userId: string;
  forkId: number;
  submissionCommit: string;
  gradingCommit: string;
  status: GradingJobStatus;
  attempts: number;
  score: number | undefined;
  maxScore: number | undefined;
  error: string | undefined;
}

const toJob = (r: GradingJobRow): GradingJob => ({
  id: r.id,
  runId: r.run_id,
  assignmentId: r.assignment_id,
  userId: r.user_id,
  forkId: r.fork_id,
  submissionCommit: r.submission_commit,
  gradingCommit: r.grading_commit,
  status: r.status as GradingJobStatus,
  attempts: r.attempts,
  score: r.score ?? undefined,
  maxScore: r.max_score ?? undefined,
  error: r.error ?? undefined,
});

/** Durable grading jobs: one per (learner, submission commit, grading commit), leased by one worker. */
export function createGradingJobStore(db: Db, now: () => number = Date.now) {
  const free = (t: number) => (eb: ExpressionBuilder<Database, 'grading_jobs'>) =>
    eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', t)])]);

  /** The job for this submission and grading commit: made once; a failed one is queued again. */
  async function enqueue(o: Omit<GradingJob, 'id' | 'status' | 'attempts' | 'score' | 'maxScore' | 'error'>) {
    const key = `${o.assignmentId}:${o.userId}:${o.submissionCommit}:${o.gradingCommit}`;
    const t = now();
    await db
      .insertInto('grading_jobs')
      .values({
        id: randomUUID(),
        job_key: key,
        run_id: o.runId,
        assignment_id: o.assignmentId,
        user_id: o.userId,
        fork_id: o.forkId,
        submission_commit: o.submissionCommit,
        grading_commit: o.gradingCommit,
        status: 'queued',
        attempts: 0,
        created_at: t,
        updated_at: t,
      })
      .onConflict((oc) => oc.column('job_key').doNothing())
      .execute();
    // A job of an earlier run joins this one, so its progress counts here; a failed one is tried again.
    await db
      .updateTable('grading_jobs')
      .set({ run_id: o.runId, updated_at: t })
      .where('job_key', '=', key)
      .execute();
    await db
      .updateTable('grading_jobs')
      .set({ status: 'queued', attempts: 0, error: null })
      .where('job_key', '=', key)
      .where('status', '=', 'failed')
      .execute();
    return toJob(
      await db.selectFrom('grading_jobs').selectAll().where('job_key', '=', key).executeTakeFirstOrThrow(),
    );
  }

  /** Takes up to `limit` jobs of `runId` for `owner`: queued ones, and running ones whose lease ran out. */
  async function claim(runId: string, owner: string, limit: number, leaseMs: number): Promise<GradingJob[]> {
    const t = now();
    const due = await db
      .selectFrom('grading_jobs')
      .select('id')
      .where('run_id', '=', runId)
      .where(free(t))
      .orderBy('created_at')
      .limit(limit)
      .execute();
    const claimed: GradingJob[] = [];
    for (const { id } of due) {
      const r = await db
        .updateTable('grading_jobs')
        .set((eb) => ({
          status: 'running',
          lease_owner: owner,
          lease_until: t + leaseMs,
          attempts: eb('attempts', '+', 1),
          updated_at: t,
        }))
        .where('id', '=', id)
        .where(free(t))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1)
        claimed.push(
          toJob(
            await db.selectFrom('grading_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
          ),
        );
    }
    return claimed;
  }

  async function renewLease(id: string, owner: string, leaseMs: number) {
    await db
      .updateTable('grading_jobs')
      .set({ lease_until: now() + leaseMs })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** Stores a finished job's result, per question too, while `owner` still holds it. */
  async function finish(
    id: string,
    owner: string,
    outcome: { result: GradeResult & { notes: string[] } } | { error: string },
  ) {
    const t = now();
    await db.transaction().execute(async (tx) => {
      const r = await tx
        .updateTable('grading_jobs')
        .set(
          'result' in outcome
            ? {
                status: 'done',
                score: outcome.result.score,
                max_score: outcome.result.maxScore,
                result: JSON.stringify(outcome.result),
                error: null,
              }
            : { status: 'failed', error: outcome.error.slice(0, 2_000) },
        )
        .set({ lease_owner: null, lease_until: null, updated_at: t, finished_at: t })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1 || !('result' in outcome)) return;
      await tx.deleteFrom('grading_results').where('job_id', '=', id).execute();
      for (const q of outcome.result.questions)
        await tx
          .insertInto('grading_results')
          .values({
            job_id: id,
            question_id: q.id,
            file: q.file,
            score: q.score,
            max_score: q.maxScore,
            status: q.status,
            checks: JSON.stringify(q.checks),
          })
          .execute();
    });
  }

  /** Puts a job that could not be done back in the queue, for another try. */
  async function release(id: string, owner: string, why: string) {
    await db
      .updateTable('grading_jobs')
      .set({
        status: 'queued',
        lease_owner: null,
        lease_until: null,
        error: why.slice(0, 2_000),
        updated_at: now(),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  async function progress(runId: string): Promise<Record<GradingJobStatus, number>> {
    const rows = await db
      .selectFrom('grading_jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .groupBy('status')
      .execute();
    const counts = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of rows) counts[r.status as GradingJobStatus] = Number(r.n);
    return counts;
  }

  /** Every run's jobs by state (metrics). */
  async function countByStatus(): Promise<Record<GradingJobStatus, number>> {
    const rows = await db
      .selectFrom('grading_jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const counts = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of rows) counts[r.status as GradingJobStatus] = Number(r.n);
    return counts;
  }

  async function listRun(runId: string): Promise<GradingJob[]> {
    return (
      await db.selectFrom('grading_jobs').selectAll().where('run_id', '=', runId).orderBy('user_id').execute()
    ).map(toJob);
  }

  return { enqueue, claim, renewLease, release, finish, progress, countByStatus, listRun };
}

export type GradingJobStore = ReturnType<typeof createGradingJobStore>;
