import { sql, type Kysely, type RawBuilder } from 'kysely';
import { isPostgres, type Db } from './database.ts';

/** What a locked piece of work gave: its value, or `ran: false` when the lock was not had. */
export type Held<T> = { ran: true; value: T } | { ran: false };

const pollMs = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** True when `p` settles within `ms`. */
function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  return Promise.race([p.then(() => true), late]).finally(() => clearTimeout(timer));
}

/**
 * Work that runs once across labgate replicas sharing one PostgreSQL: scheduled rounds (`runOnce`, which
 * skips a round another replica is running: not an error) and per-workspace operations (`runExclusive`,
 * which waits its turn). PostgreSQL session advisory locks, not leased rows: a lock dies with its
 * connection, so a replica killed mid-round frees its jobs at once, and no replica's clock is trusted.
 * All of a replica's locks live on one connection it keeps out of its pool, which only ever tries
 * (pg_try_advisory_lock; waiting is polling), so one holder never blocks another's query. If that
 * connection drops, its locks are gone with it and the next lock opens another. On SQLite labgate is
 * one server process (sqlite-server-lock.ts): the locks are this process's own, in memory.
 */
export function createJobLocks(db: Db) {
  const postgres = isPostgres(db);
  /** Per key, the end of the last holder's turn in this process (advisory locks nest per session). */
  const turns = new Map<string, Promise<void>>();
  /** The same for work that may outlast this replica's close (a launch waiting on the forge). */
  const detachedTurns = new Map<string, Promise<void>>();
  let pinned: { conn: Promise<Kysely<unknown>>; unpin: () => void; lost: boolean } | undefined;
  let closed = false;

  /** The connection the locks live on, taken from the pool until close (or until it fails). */
  function pin() {
    if (pinned && !pinned.lost) return pinned;
    let unpin!: () => void;
    const released = new Promise<void>((r) => (unpin = r));
    let hand!: (c: Kysely<unknown>) => void;
    const conn = new Promise<Kysely<unknown>>((resolve) => (hand = resolve));
    const held = db.connection().execute(async (c) => (hand(c as Kysely<unknown>), released));
    const p = { conn: Promise.race([conn, held.then(() => conn)]), unpin, lost: false };
    void p.conn.catch(() => {}); // a pool that cannot connect: the query awaiting it reports it
    held.catch(() => (p.lost = true));
    pinned = p;
    return p;
  }

  async function query(text: RawBuilder<{ ok: boolean }>): Promise<boolean> {
    const p = pin();
    const conn = await p.conn;
    try {
      const { rows } = await text.execute(conn);
      return rows[0]?.ok === true;
    } catch (err) {
      // Mostly a dropped connection, its locks gone with it. A live one is emptied before it goes
      // back to the pool, never holding a lock there; the next call opens another.
      p.lost = true;
      void sql`select pg_advisory_unlock_all()`
        .execute(conn)
        .catch(() => {})
        .finally(p.unpin);
      throw err;
    }
  }
  const keyOf = (name: string) => sql`hashtextextended(${`labgate:${name}`}, 0)`;
  const tryLock = (name: string) =>
    query(sql<{ ok: boolean }>`select pg_try_advisory_lock(${keyOf(name)}) as ok`);
  const unlock = (name: string) =>
    query(sql<{ ok: boolean }>`select pg_advisory_unlock(${keyOf(name)}) as ok`).catch(() => false);

  /** This process's turn for `name`, then the database's lock; undefined when `waitMs` ran out first. */
  async function acquire(
    name: string,
    waitMs: number,
    turns: Map<string, Promise<void>>,
  ): Promise<(() => Promise<void>) | undefined> {
    const deadline = Date.now() + waitMs;
    const previous = turns.get(name);
    if (previous && waitMs <= 0) return undefined;
    let endTurn!: () => void;
    const mine = new Promise<void>((r) => (endTurn = r));
    const tail = (previous ?? Promise.resolve()).then(() => mine);
    turns.set(name, tail);
    void tail.then(() => turns.get(name) === tail && turns.delete(name));
    if (previous && !(await within(previous, waitMs))) {
      endTurn();
      return undefined;
    }
    try {
      while (postgres && !(await tryLock(name))) {
        if (closed || Date.now() + pollMs > deadline) {
          endTurn();
          return undefined;
        }
        await sleep(pollMs * (0.5 + Math.random()));
      }
    } catch (err) {
      endTurn();
      throw err;
    }
    return async () => {
      // After close the connection is the pool's again: a detached holder's lock goes when it closes.
      if (postgres && !(closed && turns === detachedTurns)) await unlock(name);
      endTurn();
    };
  }

  async function holding<T>(
    name: string,
    waitMs: number,
    work: () => Promise<T>,
    own = turns,
  ): Promise<Held<T>> {
    if (closed) return { ran: false };
    const release = await acquire(name, waitMs, own);
    if (!release) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      await release();
    }
  }

  return {
    /** Runs `work` unless a round of `name` is under way here or on another replica (then `ran: false`). */
    runOnce: <T>(name: string, work: () => Promise<T>) => holding(name, 0, work),
    /** Runs `work` holding `key`, after the holders before it; `ran: false` when that took over `waitMs`. */
    runExclusive: <T>(key: string, work: () => Promise<T>, o: { waitMs: number }) =>
      holding(key, o.waitMs, work),
    /**
     * As runOnce, for work as long as a workspace's launch: close does not wait for it (its lock then
     * goes with the connection, when the database closes).
     */
    runDetached: <T>(name: string, work: () => Promise<T>) => holding(name, 0, work, detachedTurns),
    /** Takes no more locks and gives the connection back to the pool (the database is closed after). */
    close: async () => {
      closed = true;
      await Promise.all([...turns.values()]);
      pinned?.unpin();
      await pinned?.conn.catch(() => {});
    },
  };
}

export type JobLocks = ReturnType<typeof createJobLocks>;
/** A scheduled round, run once across replicas. */
export type RunOnce = JobLocks['runOnce'];
