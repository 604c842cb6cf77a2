import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

const postgresDbs = new WeakSet<Db>();
/** True for a database opened on a `postgres://` URL (several labgate replicas may share it). */
export const isPostgres = (db: Db) => postgresDbs.has(db);

// pg returns int8 as a string to protect precision; our bigints are epoch milliseconds, safe as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Opens the database named by a `sqlite:<path>` or `postgres://…` URL (validated by config). */
export function createDatabase(url: string): Db {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    // In WAL mode NORMAL never corrupts; a power cut may only lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server drops (restart, failover, admin) is discarded by the pool, which
  // opens a new one for the next query; without a listener node-postgres would crash the process.
  pool.on('error', () => {});
  // Same for a connection held out of the pool (job-lock.ts keeps one): its query fails, the process lives.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  postgresDbs.add(db);
  return db;
}

/**
 * better-sqlite3 as Kysely's SQLite dialect sees it, with each statement compiled once: Kysely asks for
 * a new one at every query, and compiling was 8% of an LTI launch's CPU (bench:lti). The most recently
 * used `capacity` statements are kept (queries with lists of any length make new SQL). A statement
 * still being iterated is busy: the same SQL then gets a fresh one.
 */
export function withStatementCache(db: SqliteDatabase.Database, capacity = 500) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteDatabase.Statement {
      const kept = cache.get(sql);
      if (kept && !kept.busy) {
        cache.delete(sql);
        cache.set(sql, kept);
        return kept;
      }
      const made = db.prepare(sql);
      if (!kept) {
        cache.set(sql, made);
        if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      }
      return made;
    },
  };
}

/**
 * Takes SQLite's exclusive lock on `file` (made if missing) and keeps it until `release`, or until the
 * process ends: the kernel drops it then, even after kill -9. Undefined when another process holds it.
 */
export function holdFileLock(file: string): { release(): void } | undefined {
  const lock = new SqliteDatabase(file, { timeout: 0 });
  try {
    lock.pragma('journal_mode = MEMORY'); // nothing is ever written: no journal file beside it
    lock.exec('BEGIN EXCLUSIVE'); // never committed: the lock lasts as long as the connection
    return { release: () => lock.close() };
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw err;
  }
}

/** The files a `sqlite:<path>` URL keeps its data in (the database, its WAL and journals); none for PostgreSQL. */
export function sqliteFiles(url: string): string[] {
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : ':memory:';
  if (file === ':memory:') return [];
  const full = path.resolve(file);
  return [full, `${full}-wal`, `${full}-shm`, `${full}-journal`];
}

/** True when an insert failed because the row already exists (unique or primary key), on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | undefined;
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
