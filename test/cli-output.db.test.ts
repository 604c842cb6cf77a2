import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from './support/test-database.ts';

// Titles, names and ids come from LMSs and forges, file contents from learners: printed raw, an
// `\x1b[…` or `\r` drives the operator's terminal (colours, cursor, a line rewritten, a title set).
const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/labgate.js');
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let work: string;

beforeAll(async () => {
  database = await openTestDatabase();
  work = mkdtempSync(path.join(tmpdir(), 'labgate-cli-output-'));
});
afterAll(async () => {
  await database.close();
  rmSync(work, { recursive: true, force: true });
});

async function labgate(args: string[]) {
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    // Not the checkout's .labgate, where a demo may have left the address of its forge.
    DATA_DIR: path.join(work, 'data'),
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: 'https://lg.test',
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const hostile = 'Evil\x1b[31m red\rX\u202eY\u009b2J\x07';
/** What a terminal must never receive from data: C0 but newline, DEL, C1, bidi overrides. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const shown = 'Evil\\x1b[31m red\\rX\\u202eY\\x9b2J\\x07';

describe(
  'the command line shows data from LMSs, forges and learners escaped, never raw',
  { timeout: 180_000 },
  () => {
    it('lists a course whose title holds escape sequences with visible escapes', async () => {
      const made = await labgate([
        'courses',
        'create',
        '--title',
        hostile,
        '--context-id',
        `ctx\x1b]0;pwned\x07`,
        '--consumer',
        'k\r',
      ]);
      expect(made.code).toBe(0);
      expect(made.stdout).not.toMatch(raw);
      expect(made.stdout).toContain('ctx\\x1b]0;pwned\\x07');
      const listed = await labgate(['courses', 'list']);
      expect(listed.stdout).not.toMatch(raw);
      expect(listed.stdout).toContain(shown);
      // JSON keeps the value (scripts get the title as it is), with C1 and bidi written as \u escapes.
      const json = await labgate(['courses', 'list', '--json']);
      expect(json.stdout).not.toMatch(raw);
      expect(JSON.parse(json.stdout)).toContainEqual(expect.objectContaining({ title: hostile }));
    });

    it('escapes consumers, platforms, OIDC clients and assignments too', async () => {
      // The key is checked (printable ASCII), and its refusal names it escaped; the name is free text.
      const badKey = await labgate(['consumers', 'add', '--name', 'x', '--key', 'key-\x1b[2J']);
      expect(badKey.code).toBe(1);
      expect(badKey.stderr).not.toMatch(raw);
      expect(badKey.stderr).toContain('key-\\x1b[2J');
      expect((await labgate(['consumers', 'add', '--name', hostile])).code).toBe(0);
      const platform = await labgate([
        'platforms',
        'add',
        '--name',
        hostile,
        '--issuer',
        'https://lms.test',
        '--client-id',
        'c\u202e',
        '--auth-login-url',
        'https://lms.test/auth',
        '--jwks-url',
        'https://lms.test/jwks',
        '--deployment-id',
        'd\r',
      ]);
      expect(platform.code).toBe(0);
      expect(platform.stdout).not.toMatch(raw);
      const client = await labgate([
        'oidc-clients',
        'add',
        '--name',
        hostile,
        '--redirect-uri',
        'https://x.test/cb',
      ]);
      expect(client.code).toBe(0);
      const course = (
        JSON.parse((await labgate(['courses', 'list', '--json'])).stdout) as Array<{ id: string }>
      )[0]!;
      const added = await labgate([
        'assignments',
        'add',
        '--course',
        course.id,
        '--slug',
        'ex1',
        '--template',
        'g/t',
        '--title',
        hostile,
      ]);
      expect(added.code).toBe(0);
      expect(added.stdout).not.toMatch(raw);
      for (const out of [
        (await labgate(['consumers', 'list'])).stdout,
        (await labgate(['platforms', 'list'])).stdout,
        (await labgate(['oidc-clients', 'list'])).stdout,
        (await labgate(['assignments', 'list', '--course', course.id])).stdout,
      ]) {
        expect(out).not.toMatch(raw);
        expect(out).toMatch(/\\x1b|\\u202e|\\r/);
      }
    });

    it('diffs learner files holding escape sequences without sending them to the terminal', async () => {
      const a = path.join(work, 'a.md');
      const b = path.join(work, 'b.md');
      writeFileSync(a, '# Title\n\nplain line\n');
      writeFileSync(b, '# Title\x1b]0;pwned\x07\n\nplain\tline\x1b[2J\r\n');
      const out = await labgate(['diff', '--color', 'never', a, b]);
      expect(out.code).toBe(0);
      expect(out.stdout.replaceAll('\t', '')).not.toMatch(raw);
      expect(out.stdout).toContain('\\x1b]0;pwned\\x07');
      expect(out.stdout).toContain('plain\tline'); // tabs in content stay tabs
      const missing = await labgate(['diff', a, path.join(work, 'no\x1b[2Jpe.md')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).not.toMatch(raw);
      expect(missing.stderr).toContain('no\\x1b[2Jpe.md');
    });
  },
);
