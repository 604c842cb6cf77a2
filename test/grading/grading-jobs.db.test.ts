import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGradingJobStore, runGradingJobs, type GradingJobStore } from '../../src/grading/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';

let d: TestDatabase;
let clock = 1_000_000;
let store: GradingJobStore;
beforeAll(async () => {
  d = await openTestDatabase();
  store = createGradingJobStore(d.db, () => clock);
});
afterAll(() => d?.close());

const job = (runId: string, userId: string, sha = 'a'.repeat(40)) => ({
  runId,
  assignmentId: 'as1',
  userId,
  forkId: 7,
  submissionCommit: sha,
  gradingCommit: 'g'.repeat(40),
});
const result = (score: number) => ({
  score,
  maxScore: 3,
  questions: [{ id: 'q1', file: 'ex.ipynb', score, maxScore: 3, status: 'partial' as const, checks: [] }],
  durationMs: 5,
  notes: [],
});

describe('durable grading jobs', () => {
  it('grades a (learner, submission, grading commit) once; a new run takes the done job as it is', async () => {
    const first = await store.enqueue(job('r1', 'ada'));
    const [claimed] = await store.claim('r1', 'w1', 5, 60_000);
    await store.finish(claimed!.id, 'w1', { result: result(2) });
    const again = await store.enqueue(job('r2', 'ada'));
    expect(again).toMatchObject({ id: first.id, status: 'done', score: 2, runId: 'r2' });
    expect(await store.claim('r2', 'w2', 5, 60_000)).toEqual([]);
    const rows = await d.db
      .selectFrom('grading_results')
      .selectAll()
      .where('job_id', '=', first.id)
      .execute();
    expect(rows).toMatchObject([{ question_id: 'q1', score: 2, status: 'partial' }]);
    const other = await store.enqueue(job('r2', 'ada', 'b'.repeat(40))); // a newer commit is another job
    expect(other.id).not.toBe(first.id);
  });

  it('lets another worker take a job whose worker died, and ignores the dead one’s late answer', async () => {
    await store.enqueue(job('r3', 'bob'));
    const [taken] = await store.claim('r3', 'dead', 5, 1_000);
    expect(await store.claim('r3', 'alive', 5, 1_000)).toEqual([]); // leased
    clock += 2_000;
    const [retaken] = await store.claim('r3', 'alive', 5, 60_000);
    expect(retaken).toMatchObject({ id: taken!.id, attempts: 2 });
    await store.finish(taken!.id, 'dead', { result: result(3) });
    await store.finish(taken!.id, 'alive', { result: result(1) });
    expect((await store.listRun('r3'))[0]).toMatchObject({ status: 'done', score: 1 });
  });

  it('works a run to the end with bounded concurrency, retrying a job whose submission could not be had', async () => {
    for (const u of ['c1', 'c2', 'c3', 'c4', 'c5']) await store.enqueue(job('r4', u));
    let running = 0;
    let most = 0;
    const tries = new Map<string, number>();
    const counts = await runGradingJobs({
      store,
      runId: 'r4',
      concurrency: 2,
      grade: async (j) => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        tries.set(j.userId, (tries.get(j.userId) ?? 0) + 1);
        if (j.userId === 'c3' && tries.get('c3')! < 2) throw new Error('forge down');
        if (j.userId === 'c5') throw new Error('archive too big');
        return result(3);
      },
    });
    expect(counts).toMatchObject({ done: 4, failed: 1, queued: 0, running: 0 });
    expect(most).toBe(2);
    expect(tries.get('c5')).toBe(3);
    expect((await store.listRun('r4')).find((j) => j.userId === 'c5')).toMatchObject({
      status: 'failed',
      error: 'archive too big',
    });
  });
});
