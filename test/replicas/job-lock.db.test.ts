import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createJobLocks, type Db, type JobLocks } from '../../src/db/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { eventually, gate, killNow, sleep, startLockHolder } from './replicas.ts';

// Two replicas: on PostgreSQL two pools (advisory locks belong to a connection, as in two processes);
// on SQLite, which runs one labgate server, two callers in that one process.
let database: TestDatabase;
let other: Db;
let a: JobLocks;
let b: JobLocks;
const postgres = () => database.kind === 'postgres';

beforeAll(async () => {
  database = await openTestDatabase();
  other = postgres() ? createDatabase(database.url) : database.db;
  a = createJobLocks(database.db);
  b = postgres() ? createJobLocks(other) : a;
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  if (other !== database?.db) await other?.destroy();
  await database?.close();
});

/** Runs `work` and records when it ran, to compare who held the lock when. */
function timed(spans: Array<[string, number, number]>, who: string, ms: number) {
  return async () => {
    const start = performance.now();
    await sleep(ms);
    spans.push([who, start, performance.now()]);
    return who;
  };
}

describe('a scheduled round runs once across replicas', () => {
  it('runs on the replica that takes it; the other skips that round, without an error', async () => {
    const round = gate();
    const first = a.runOnce('course-upkeep', () => round.closed.then(() => 'recorded'));
    await sleep(50);
    expect(await b.runOnce('course-upkeep', async () => 'twice')).toEqual({ ran: false });
    round.open();
    expect(await first).toEqual({ ran: true, value: 'recorded' });
    // The next round is anyone's.
    expect(await b.runOnce('course-upkeep', async () => 'next')).toEqual({ ran: true, value: 'next' });
  });

  it('keeps rounds of different jobs apart: one running does not skip another', async () => {
    const round = gate();
    const culling = a.runOnce('workspace-culler', () => round.closed);
    expect(await b.runOnce('grade-delivery', async () => 'sent')).toEqual({ ran: true, value: 'sent' });
    round.open();
    await culling;
  });

  it('frees the job when a round fails, for the next round', async () => {
    await expect(a.runOnce('sweeper', () => Promise.reject(new Error('database hiccup')))).rejects.toThrow(
      'database hiccup',
    );
    expect(await b.runOnce('sweeper', async () => 'swept')).toEqual({ ran: true, value: 'swept' });
  });
});

describe('per-workspace work waits its turn across replicas', () => {
  it('never overlaps on one key, and every operation runs', async () => {
    const spans: Array<[string, number, number]> = [];
    const results = await Promise.all([
      a.runExclusive('workspace-git:w1', timed(spans, 'a1', 150), { waitMs: 10_000 }),
      b.runExclusive('workspace-git:w1', timed(spans, 'b1', 150), { waitMs: 10_000 }),
      a.runExclusive('workspace-git:w1', timed(spans, 'a2', 150), { waitMs: 10_000 }),
      b.runExclusive('workspace-git:w1', timed(spans, 'b2', 150), { waitMs: 10_000 }),
    ]);
    expect(results.map((r) => r.ran)).toEqual([true, true, true, true]);
    spans.sort((x, y) => x[1] - y[1]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![1]).toBeGreaterThanOrEqual(spans[i - 1]![2]);
  });

  it('lets two workspaces work at once', async () => {
    const spans: Array<[string, number, number]> = [];
    await Promise.all([
      a.runExclusive('workspace-git:w2', timed(spans, 'w2', 300), { waitMs: 10_000 }),
      b.runExclusive('workspace-git:w3', timed(spans, 'w3', 300), { waitMs: 10_000 }),
    ]);
    const [x, y] = spans;
    expect(Math.min(x![2], y![2]) - Math.max(x![1], y![1])).toBeGreaterThan(100);
  });

  it('gives up after the wait it was allowed, and the holder finishes', async () => {
    const op = gate();
    const holding = a.runExclusive('workspace-git:w4', () => op.closed.then(() => 'pushed'), {
      waitMs: 10_000,
    });
    await sleep(50);
    const start = Date.now();
    expect(await b.runExclusive('workspace-git:w4', async () => 'pulled', { waitMs: 400 })).toEqual({
      ran: false,
    });
    expect(Date.now() - start).toBeGreaterThanOrEqual(300);
    expect(Date.now() - start).toBeLessThan(3_000);
    op.open();
    expect(await holding).toEqual({ ran: true, value: 'pushed' });
    expect(await b.runExclusive('workspace-git:w4', async () => 'pulled', { waitMs: 400 })).toEqual({
      ran: true,
      value: 'pulled',
    });
  });
});

describe.runIf(process.env.LABGATE_TEST_DB === 'postgres')('a replica that dies holding a lock', () => {
  it('does not block the job: after kill -9 the next round runs', async () => {
    const holder = await startLockHolder(database.url, 'template-reconcile');
    try {
      expect(await a.runOnce('template-reconcile', async () => 'reconciled')).toEqual({ ran: false });
    } finally {
      await killNow(holder);
    }
    // PostgreSQL ends the dead process's session, and its locks with it.
    const next = await eventually('a round after the kill', async () => {
      const r = await a.runOnce('template-reconcile', async () => 'reconciled');
      return r.ran ? r : undefined;
    });
    expect(next).toEqual({ ran: true, value: 'reconciled' });
  });

  it('survives its lock connection being cut: the lock is free, and it locks again after', async () => {
    const round = gate();
    const cut = a.runOnce('passback-cut', () => round.closed.then(() => 'finished'));
    await sleep(100);
    // An administrator (or a failover) ends the connection the locks live on.
    const holders = await sql<{ pid: number }>`
      select pid from pg_locks where locktype = 'advisory' and granted and database =
        (select oid from pg_database where datname = current_database())`.execute(other);
    expect(holders.rows.length).toBe(1);
    await sql`select pg_terminate_backend(${holders.rows[0]!.pid})`.execute(other);
    // The backend ends a moment after it is told to, and its locks with it.
    const taken = await eventually('the round taken over', async () => {
      const r = await b.runOnce('passback-cut', async () => 'taken over');
      return r.ran ? r : undefined;
    });
    expect(taken).toEqual({ ran: true, value: 'taken over' });
    round.open();
    expect(await cut).toEqual({ ran: true, value: 'finished' });
    expect(await a.runOnce('passback-cut', async () => 'again')).toEqual({ ran: true, value: 'again' });
  });

  it('leaves a launch to the replica running it, which closes without waiting; the lock goes with it', async () => {
    const db = createDatabase(database.url);
    const running = createJobLocks(db);
    const launch = gate();
    const held = running.runDetached('workspace-launch:w9', () => launch.closed.then(() => 'ready'));
    await sleep(100);
    expect(await b.runDetached('workspace-launch:w9', async () => 'twice')).toEqual({ ran: false });
    // A replica stopping (SIGTERM) closes at once, though a launch of its own still waits on the forge.
    const closing = Date.now();
    await running.close();
    expect(Date.now() - closing).toBeLessThan(1_000);
    await db.destroy(); // its connections end, and the launch lock with them: another replica takes it over
    const taken = await eventually('the launch taken over', async () => {
      const r = await b.runDetached('workspace-launch:w9', async () => 'taken over');
      return r.ran ? r : undefined;
    });
    expect(taken).toEqual({ ran: true, value: 'taken over' });
    launch.open();
    expect(await held).toEqual({ ran: true, value: 'ready' });
  });
});
