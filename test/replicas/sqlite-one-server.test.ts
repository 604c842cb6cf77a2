import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startDemoProcess } from '../support/labgate-process.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/labgate.js');

/** A CLI command against the server's data folder, as an operator types it while labgate serves. */
async function labgate(dataDir: string, args: string[]) {
  const { stdout } = await run(process.execPath, [bin, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
  });
  return stdout;
}

// SQLite is the one-process default: the server runs alone on its file; PostgreSQL takes replicas.
describe('one labgate server per SQLite database', () => {
  it('refuses a second server saying who holds the file, lets the CLI work beside it, and starts again after kill -9', async () => {
    const env = { EMBEDDED_FORGE: 'off' };
    const first = await startDemoProcess(env);
    const { dataDir } = first;
    const database = path.join(dataDir, 'labgate.db');
    try {
      const second = await startDemoProcess({ ...env, DATA_DIR: dataDir }).then(
        async (s) => (await s.kill(), 'a second server started'),
        (err: unknown) => String(err),
      );
      const said = new RegExp(
        `labgate: Another labgate server \\(pid (\\d+) on ${hostname()}, started [^)]+\\) is using the SQLite database ${database}\\.`,
      ).exec(second);
      expect(said, second).not.toBeNull();
      expect(second).toContain('set DATABASE_URL to a PostgreSQL database to run several labgate replicas');
      // The pid named is the serving labgate's.
      const cmdline = readFileSync(`/proc/${said![1]}/cmdline`, 'utf8').split('\0');
      expect(cmdline.some((arg) => arg.endsWith('src/main.ts'))).toBe(true);
      expect((await fetch(`${first.url}/simulator`)).status).toBe(200);

      // Operators' commands work on the same file while it serves.
      expect(
        await labgate(dataDir, [
          'courses',
          'create',
          '--title',
          'RR',
          '--context-id',
          'ctx-cli',
          '--consumer',
          'k',
        ]),
      ).toMatch(/course \S+ created for lti11:k context ctx-cli/);

      // A crash leaves no lock behind: the next start serves, on the same data.
      await first.kill();
      const third = await startDemoProcess({ ...env, DATA_DIR: dataDir });
      try {
        expect((await fetch(`${third.url}/simulator`)).status).toBe(200);
        expect(await labgate(dataDir, ['courses', 'list', '--json'])).toContain('ctx-cli');
      } finally {
        await third.stop();
      }
    } finally {
      await first.kill();
    }
  }, 120_000);
});
