import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGradingJobStore,
  createReviewStore,
  finalGrade,
  type ReviewStore,
} from '../../src/grading/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';

let d: TestDatabase;
let clock = 5_000_000;
let reviews: ReviewStore;
beforeAll(async () => {
  d = await openTestDatabase();
  reviews = createReviewStore(d.db, () => ++clock);
});
afterAll(() => d?.close());

const base = { assignmentId: 'as1', userId: 'ada', questionId: 'q1', comment: undefined };

describe('graders’ scores and comments', () => {
  it('two graders saving from the same version: the second is refused and shown the first’s save', async () => {
    const first = await reviews.saveScore({ ...base, score: 2, rubric: [], fromVersion: 0, graderId: 'tom' });
    expect(first).toMatchObject({ ok: true, value: { score: 2, version: 1, gradedBy: 'tom' } });
    const late = await reviews.saveScore({ ...base, score: 1, rubric: [], fromVersion: 0, graderId: 'sue' });
    expect(late).toMatchObject({ ok: false, current: { score: 2, version: 1, gradedBy: 'tom' } });
    const next = await reviews.saveScore({
      ...base,
      score: undefined,
      rubric: [
        { item: 1, points: 0.5 },
        { item: 0, points: 1 },
        { item: 1, points: 0.5 },
      ],
      fromVersion: 1,
      graderId: 'sue',
    });
    expect(next).toMatchObject({ ok: true, value: { score: undefined, version: 2, gradedBy: 'sue' } });
    expect(next.ok && next.value.rubric).toEqual([
      { item: 0, points: 1 },
      { item: 1, points: 0.5 },
    ]);
    const stale = await reviews.saveScore({ ...base, score: 3, rubric: [], fromVersion: 1, graderId: 'tom' });
    expect(stale.ok).toBe(false);
    expect((await reviews.scoresOf('as1', 'ada'))[0]).toMatchObject({ version: 2, gradedBy: 'sue' });
  });

  it('comments keep each grader’s edit; a stale edit or delete is refused; deleted ones disappear', async () => {
    const c = await reviews.addComment({
      assignmentId: 'as1',
      userId: 'ada',
      file: 'ex.ipynb',
      cell: 'cell-2',
      line: 3,
      body: 'Off by one',
      authorId: 'tom',
    });
    const edited = await reviews.changeComment({
      assignmentId: 'as1',
      userId: 'ada',
      id: c.id,
      body: 'Off by one here',
      fromVersion: 1,
    });
    expect(edited).toMatchObject({ ok: true, value: { body: 'Off by one here', version: 2, line: 3 } });
    const stale = await reviews.changeComment({
      assignmentId: 'as1',
      userId: 'ada',
      id: c.id,
      body: undefined,
      fromVersion: 1,
    });
    expect(stale).toMatchObject({ ok: false, current: { body: 'Off by one here' } });
    // Another learner's route cannot reach this comment.
    const other = await reviews.changeComment({
      assignmentId: 'as1',
      userId: 'bob',
      id: c.id,
      body: 'x',
      fromVersion: 2,
    });
    expect(other.ok).toBe(false);
    expect(
      await reviews.changeComment({
        assignmentId: 'as1',
        userId: 'ada',
        id: c.id,
        body: undefined,
        fromVersion: 2,
      }),
    ).toEqual({ ok: true, value: undefined });
    expect(await reviews.commentsOf('as1', 'ada')).toEqual([]);
  });

  it('the final grade: the grader’s score wins over the automatic one, rubric ticks add up, capped', async () => {
    const jobs = createGradingJobStore(d.db, () => ++clock);
    const job = await jobs.enqueue({
      runId: 'r',
      assignmentId: 'as2',
      userId: 'ada',
      forkId: 1,
      submissionCommit: 'a'.repeat(40),
      gradingCommit: 'g'.repeat(40),
    });
    const [claimed] = await jobs.claim('r', 'w', 1, 60_000);
    await jobs.finish(claimed!.id, 'w', {
      result: {
        score: 3,
        maxScore: 8,
        durationMs: 1,
        notes: [],
        questions: [
          { id: 'q1', file: 'ex.ipynb', score: 2, maxScore: 3, status: 'partial', checks: [] },
          { id: 'q2', file: 'ex.ipynb', score: 1, maxScore: 3, status: 'manual', checks: [] },
          { id: 'q3', file: 'ex.ipynb', score: 0, maxScore: 2, status: 'failed', checks: [] },
        ],
      },
    });
    const g = { assignmentId: 'as2', userId: 'ada', comment: undefined, fromVersion: 0, graderId: 'tom' };
    await reviews.saveScore({ ...g, questionId: 'q1', score: 3, rubric: [] });
    await reviews.saveScore({
      ...g,
      questionId: 'q2',
      score: undefined,
      rubric: [
        { item: 0, points: 1.5 },
        { item: 1, points: 1 },
      ],
    });
    await reviews.saveScore({
      ...g,
      questionId: '',
      score: undefined,
      rubric: [],
      comment: 'Good work overall',
    });
    const latest = (await reviews.latestGradings('as2')).get('ada')!;
    expect(latest.jobId).toBe(job.id);
    const grade = finalGrade(latest.result, await reviews.scoresOf('as2', 'ada'));
    expect(grade.questions.map((q) => [q.id, q.auto, q.manual, q.final])).toEqual([
      ['q1', 2, 3, 3],
      ['q2', 1, undefined, 3],
      ['q3', 0, undefined, 0],
    ]);
    expect(grade).toMatchObject({
      auto: 3,
      final: 6,
      maxScore: 8,
      reviewed: true,
      comment: 'Good work overall',
    });
  });
});
