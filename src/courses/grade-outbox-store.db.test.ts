import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/support/test-database.ts';
import { createGradeOutbox } from './grade-outbox-store.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let clock = 1_800_000_000_000;
const now = () => clock;
beforeEach(async () => {
  database = await openTestDatabase();
  clock = 1_800_000_000_000;
});
afterEach(async () => database.close());

const outbox = (o: Parameters<typeof createGradeOutbox>[2] = {}) =>
  createGradeOutbox(database.db, now, { random: () => 0, ...o });
const grade = (userId: string, score: number, more: Record<string, unknown> = {}) => ({
  assignmentId: 'a1',
  userId,
  score,
  maxScore: 10,
  ...more,
});

describe('the grades outbox', () => {
  it('queues a grade pending and due now, and leaves an equal grade as it is', async () => {
    const box = outbox();
    expect(await box.queue(grade('u1', 7, { comment: 'Bien' }))).toBe('queued');
    const row = await box.findGrade('a1', 'u1');
    expect(row).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: clock, scoredAt: clock });
    expect(row).toMatchObject({ score: 7, maxScore: 10, comment: 'Bien' });
    expect(await box.queue(grade('u1', 7, { comment: 'Bien' }))).toBe('unchanged');
    expect(await box.queue(grade('u1', 8))).toBe('queued');
    expect((await box.findGrade('a1', 'u1'))?.score).toBe(8);
    await expect(box.queue(grade('u1', Number.NaN))).rejects.toThrow(/not a number/);
    await expect(box.queue(grade('u1', 1, { maxScore: 0 }))).rejects.toThrow(/positive/);
  });

  it('keeps scored_at strictly increasing per learner, whatever the clock or the caller says', async () => {
    const box = outbox();
    await box.queue(grade('u1', 1));
    await box.queue(grade('u1', 2));
    expect((await box.findGrade('a1', 'u1'))?.scoredAt).toBe(clock + 1);
    await box.queue(grade('u1', 3, { scoredAt: clock - 60_000 }));
    expect((await box.findGrade('a1', 'u1'))?.scoredAt).toBe(clock + 2);
    clock += 10_000;
    await box.queue(grade('u1', 4));
    expect((await box.findGrade('a1', 'u1'))?.scoredAt).toBe(clock);
  });

  it('leases a due grade to one sender only; an expired lease is due again', async () => {
    const box = outbox();
    await box.queue(grade('u1', 7));
    await box.queue(grade('u2', 5));
    const [a, b] = await Promise.all([box.claimDue(5, 'p1', 60_000), box.claimDue(5, 'p2', 60_000)]);
    expect([...a!, ...b!].map((g) => g.userId).sort()).toEqual(['u1', 'u2']);
    expect(await box.claimDue(5, 'p3', 60_000)).toEqual([]);
    clock += 60_001;
    const again = await box.claimDue(5, 'p3', 60_000);
    expect(again.map((g) => g.userId).sort()).toEqual(['u1', 'u2']);
    expect(again[0]!.leaseOwner).toBe('p3');
    // The first sender's lease is gone: its marks change nothing.
    const first = [...a!, ...b!][0]!;
    expect(await box.markSent(first, 'ok')).toBe('stale');
    expect((await box.findGrade('a1', first.userId))?.status).toBe('pending');
  });

  it('claims only what is due, at most `limit`, oldest first', async () => {
    const box = outbox();
    for (const u of ['u1', 'u2', 'u3']) {
      await box.queue(grade(u, 1));
      clock += 1;
    }
    expect((await box.claimDue(2, 'p', 1000)).map((g) => g.userId)).toEqual(['u1', 'u2']);
  });

  it('marks a grade sent with its time and the LMS’s answer', async () => {
    const box = outbox();
    await box.queue(grade('u1', 7));
    const [g] = await box.claimDue(1, 'p', 60_000);
    clock += 500;
    expect(await box.markSent(g!, 'Score for u1 is now 0.7')).toBe('marked');
    expect(await box.findGrade('a1', 'u1')).toMatchObject({
      status: 'sent',
      attempts: 1,
      sentAt: clock,
      answer: 'Score for u1 is now 0.7',
    });
    expect(await box.claimDue(1, 'p', 60_000)).toEqual([]);
    expect(await box.depth()).toEqual({ pending: 0, sent: 1, failed: 0 });
  });

  it('backs off 15 s, 30 s, 60 s… (capped at an hour, a little jitter), then fails after the last attempt', async () => {
    const box = outbox({ random: () => 0.5, maxAttempts: 4 });
    await box.queue(grade('u1', 7));
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [g] = await box.claimDue(1, 'p', 60_000);
      expect(g, `attempt ${i + 1}`).toBeDefined();
      expect(await box.markRetry(g!, `HTTP 503 (${i + 1})`)).toBe('marked');
      const row = (await box.findGrade('a1', 'u1'))!;
      expect(row).toMatchObject({ status: 'pending', attempts: i + 1, answer: `HTTP 503 (${i + 1})` });
      delays.push(row.nextAttemptAt - clock);
      expect(await box.claimDue(1, 'p', 60_000)).toEqual([]);
      clock = row.nextAttemptAt;
    }
    expect(delays).toEqual([15_000 * 1.05, 30_000 * 1.05, 60_000 * 1.05]);
    const [last] = await box.claimDue(1, 'p', 60_000);
    await box.markRetry(last!, 'HTTP 503 (4)');
    expect(await box.findGrade('a1', 'u1')).toMatchObject({ status: 'failed', attempts: 4 });
    expect(await box.claimDue(1, 'p', 60_000)).toEqual([]);

    const capped = outbox({ maxAttempts: 20 });
    await capped.queue(grade('u2', 1));
    for (let i = 0; i < 12; i++) {
      const [g] = await capped.claimDue(1, 'p', 60_000);
      await capped.markRetry(g!, 'down');
      clock = (await capped.findGrade('a1', 'u2'))!.nextAttemptAt;
    }
    const [g] = await capped.claimDue(1, 'p', 60_000);
    const before = clock;
    await capped.markRetry(g!, 'down', 10 * 3_600_000);
    expect((await capped.findGrade('a1', 'u2'))!.nextAttemptAt - before).toBe(3_600_000);
  });

  it('waits as long as the LMS’s Retry-After asks, when longer than the backoff', async () => {
    const box = outbox();
    await box.queue(grade('u1', 7));
    const [g] = await box.claimDue(1, 'p', 60_000);
    await box.markRetry(g!, 'HTTP 429', 120_000);
    expect((await box.findGrade('a1', 'u1'))!.nextAttemptAt).toBe(clock + 120_000);
  });

  it('fails at once on a refusal, and sends again on demand with a later version', async () => {
    const box = outbox();
    await box.queue(grade('u1', 7));
    const [g] = await box.claimDue(1, 'p', 60_000);
    await box.markFailed(g!, 'the LMS refused the grade (failure): unknown sourcedId');
    expect(await box.findGrade('a1', 'u1')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await box.sendAgain('a1', 'u1')).toBe(true);
    const again = (await box.findGrade('a1', 'u1'))!;
    expect(again).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: clock });
    expect(again.scoredAt).toBe(g!.scoredAt + 1);
    expect(await box.sendAgain('a1', 'nobody')).toBe(false);
    expect((await box.statusOf('a1')).get('u1')).toMatchObject({ status: 'pending', score: 7 });
  });

  it('never marks a newer grade sent when an older send ends after it was queued', async () => {
    const box = outbox();
    await box.queue(grade('u1', 4));
    const [old] = await box.claimDue(1, 'p1', 60_000);
    await box.queue(grade('u1', 9));
    // The in-flight send keeps its lease: nobody sends the new grade at the same time.
    expect(await box.claimDue(1, 'p2', 60_000)).toEqual([]);
    expect(await box.markSent(old!, 'ok')).toBe('stale');
    const row = (await box.findGrade('a1', 'u1'))!;
    expect(row).toMatchObject({ status: 'pending', score: 9, sentAt: undefined });
    const [next] = await box.claimDue(1, 'p2', 60_000);
    expect(next).toMatchObject({ score: 9, leaseOwner: 'p2' });
    expect(next!.scoredAt).toBeGreaterThan(old!.scoredAt);
    expect(await box.markSent(next!, 'ok')).toBe('marked');
  });

  it('does not let a retry or a failure of an older send overwrite a newer grade or a Send again', async () => {
    const box = outbox();
    await box.queue(grade('u1', 4));
    const [old] = await box.claimDue(1, 'p1', 60_000);
    await box.queue(grade('u1', 5));
    expect(await box.markFailed(old!, 'refused')).toBe('stale');
    expect((await box.findGrade('a1', 'u1'))!.status).toBe('pending');
    const [mid] = await box.claimDue(1, 'p1', 60_000);
    expect(await box.sendAgain('a1', 'u1')).toBe(true);
    expect(await box.markRetry(mid!, 'HTTP 500')).toBe('stale');
    expect(await box.findGrade('a1', 'u1')).toMatchObject({
      status: 'pending',
      attempts: 0,
      answer: undefined,
    });
  });
});
