import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Runs `bench/<file>` as `npm run bench:…` does (tsx, from the checkout's root) with `env` making it tiny;
 * resolves with what it printed, rejects (with its stderr) when it exits non-zero or outlives `timeoutMs`.
 */
export async function runBench(file: string, env: Record<string, string>, timeoutMs: number) {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `bench/${file}`], {
    cwd: root,
    env: { ...process.env, ...env },
    timeout: timeoutMs,
  });
  return stdout;
}

/** A pattern for a bench's line: `label` taken literally, then `shape` (a regex source). */
export const line = (label: string, shape: string) =>
  new RegExp(`${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}${shape}`);

/** A number as benches print it: digits, maybe a decimal point. */
export const num = '\\d+(?:\\.\\d+)?';
