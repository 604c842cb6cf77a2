import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.ts';
import { holdFileLock } from './database.ts';

const databaseFile = (url: string) => {
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : ':memory:';
  return file === ':memory:' ? undefined : path.resolve(file);
};

/** The lock a labgate server holds beside a SQLite database, and who holds it; none for PostgreSQL. */
export function sqliteServerLockFiles(url: string): string[] {
  const file = databaseFile(url);
  return file ? [`${file}-server.lock`, `${file}-server.json`] : [];
}

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
}

function readHolder(file: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? (h as Holder) : undefined;
  } catch {
    return undefined; // the holder has not written it yet
  }
}

const inUse = (database: string, h: Holder | undefined) =>
  new AppError({
    code: 'DB_SQLITE_IN_USE',
    status: 409,
    message: `Another labgate server (${h ? `pid ${h.pid} on ${h.host}, started ${h.startedAt}` : 'its pid is not written yet'}) is using the SQLite database ${database}.`,
    hint: 'SQLite serves one labgate server process: stop that one first (CLI commands such as `labgate courses create` work beside it), or set DATABASE_URL to a PostgreSQL database to run several labgate replicas.',
    details: { database, ...(h ? { pid: h.pid, host: h.host } : {}) },
  });

/** Locks kept referenced: a lock's connection closed by the garbage collector would free it. */
const kept = new Set<{ release(): void }>();

/**
 * One labgate server per SQLite database, taken at `serve`/`demo` start: SQLite's own lock on a file
 * beside the database, which the kernel drops when the process ends (even kill -9), so a crash never
 * blocks the next start. CLI commands open only the database itself and go on working beside it.
 */
export function holdSqliteServerLock(url: string): { release(): void } | undefined {
  const database = databaseFile(url);
  if (!database) return undefined;
  const [lockFile, holderFile] = sqliteServerLockFiles(url) as [string, string];
  mkdirSync(path.dirname(lockFile), { recursive: true }); // as createDatabase does; DATA_DIR is tightened later
  closeSync(openSync(lockFile, 'a', 0o600)); // private from the start, even when made as root
  const lock = holdFileLock(lockFile);
  if (!lock) throw inUse(database, readHolder(holderFile));
  const me: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  writeFileSync(`${holderFile}.tmp`, `${JSON.stringify(me)}\n`, { mode: 0o600 });
  renameSync(`${holderFile}.tmp`, holderFile);
  kept.add(lock);
  return {
    release: () => {
      if (!kept.delete(lock)) return;
      rmSync(holderFile, { force: true });
      lock.release();
    },
  };
}
