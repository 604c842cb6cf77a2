import { pingDatabase, type Db } from '../db/index.ts';
import { pingForge } from '../forge/index.ts';
import { probeSocket } from '../workspaces/index.ts';

export type Dependency = 'database' | 'forge' | 'engine';

export interface CheckResult {
  ok: boolean;
  ms: number;
  /** Why not, in a few words that name no host, URL or secret (the answer is public). */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  failed: Dependency[];
  checks: Partial<Record<Dependency, CheckResult>>;
}

type Log = { warn(o: object, msg: string): void; info(o: object, msg: string): void };

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** A database error as a public reason: its code (SQLSTATE or errno) at most, never its text. */
const databaseReason = (err: unknown) => {
  const e = err as Error & { code?: unknown };
  if (e.message?.startsWith('no answer within')) return e.message;
  return typeof e.code === 'string' ? `query failed (${e.code})` : 'query failed';
};

/**
 * What `/readyz` asks: the database, the forge and the container engine (those this labgate uses),
 * each within `timeoutMs`, all at once. Answers are kept `cacheMs` and concurrent asks share one round,
 * so a flood of probes costs the forge one request a second at most.
 */
export function createReadiness(o: {
  db: Db;
  forge: { url: string; token: string } | undefined;
  engineSocket: string | undefined;
  log: Log;
  timeoutMs?: number;
  cacheMs?: number;
}) {
  const timeoutMs = o.timeoutMs ?? 2_000;
  const cacheMs = o.cacheMs ?? 1_000;
  const forge = o.forge;
  const socket = o.engineSocket;
  const checks: Array<[Dependency, () => Promise<void>, (err: unknown) => string]> = [
    ['database', () => within(timeoutMs, pingDatabase(o.db)), databaseReason],
  ];
  if (forge)
    checks.push(['forge', () => pingForge({ ...forge, timeoutMs }), (err) => (err as Error).message]);
  if (socket)
    checks.push([
      'engine',
      async () => {
        const probe = await within(timeoutMs + 500, probeSocket(socket, timeoutMs));
        if (probe.answer !== 'answers') throw new Error(`socket ${probe.answer}`);
      },
      (err) => (err as Error).message,
    ]);
  const wasOk = new Map<Dependency, boolean>();

  async function run(name: Dependency, check: () => Promise<void>, reason: (err: unknown) => string) {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      await check();
      if (wasOk.get(name) === false) o.log.info({ dependency: name }, 'dependency reachable again');
      wasOk.set(name, true);
      return { ok: true, ms: ms() };
    } catch (err) {
      // Logged once when it goes down, with the whole error; probes every few seconds add nothing.
      if (wasOk.get(name) !== false) o.log.warn({ err, dependency: name }, 'dependency unreachable');
      wasOk.set(name, false);
      return { ok: false, ms: ms(), error: reason(err) };
    }
  }

  async function round(): Promise<Readiness> {
    const results = await Promise.all(checks.map(([name, check, why]) => run(name, check, why)));
    const entries = checks.map(([name], i) => [name, results[i]!] as const);
    const failed = entries.filter(([, r]) => !r.ok).map(([name]) => name);
    return { ready: failed.length === 0, failed, checks: Object.fromEntries(entries) };
  }

  let last: { answer: Promise<Readiness>; endedAt?: number } | undefined;
  return {
    check(): Promise<Readiness> {
      const fresh = last && (last.endedAt === undefined || performance.now() - last.endedAt <= cacheMs);
      if (!fresh) {
        // Shared while it runs, then kept cacheMs from when it ended.
        const entry: NonNullable<typeof last> = { answer: round() };
        void entry.answer.then(() => (entry.endedAt = performance.now()));
        last = entry;
      }
      return last!.answer;
    },
  };
}
