import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from './support/test-database.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
let database: Awaited<ReturnType<typeof openTestDatabase>>;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

// npx may warn about the machine's npm settings; that is not labgate's output.
const withoutNpmNoise = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => !l.startsWith('npm warn'))
    .join('\n');

/** `npx tsx src/main.ts …`, as an administrator types it. */
async function labgate(args: string[]) {
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    PUBLIC_BASE_URL: 'https://labgate.example.org',
    LOG_LEVEL: 'silent',
  };
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/main.ts', ...args], { cwd: root, env });
    return { code: 0, stdout, stderr: withoutNpmNoise(stderr) };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: withoutNpmNoise(e.stderr) };
  }
}

const moodle = [
  '--issuer',
  'https://moodle.example.org',
  '--client-id',
  'Zx81',
  '--auth-login-url',
  'https://moodle.example.org/mod/lti/auth.php',
  '--jwks-url',
  'https://moodle.example.org/mod/lti/certs.php',
];

describe('labgate platforms', () => {
  it('adds a platform with several deployments, prints the tool settings, and lists it', async () => {
    const added = await labgate([
      'platforms',
      'add',
      ...moodle,
      '--deployment-id',
      '3',
      '--deployment-id',
      '4',
      '--name',
      'Moodle Inria',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('https://labgate.example.org/lti/1.3/login');
    expect(added.stdout).toContain('https://labgate.example.org/lti/1.3/launch');
    expect(added.stdout).toContain('https://labgate.example.org/.well-known/jwks.json');

    const [json, table] = await Promise.all([
      labgate(['platforms', 'list', '--json']),
      labgate(['platforms', 'list']),
    ]);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        name: 'Moodle Inria',
        issuer: 'https://moodle.example.org',
        'client id': 'Zx81',
        deployments: '3 4',
      }),
    ]);
    expect(table.stdout).toMatch(/^id +name +issuer +client id +deployments\n/);
    expect(table.stdout).toContain('Moodle Inria');
  });

  it('refuses what would make an unusable registration, with one readable line', async () => {
    const [duplicate, noDeployment, plainHttp, localHttp] = await Promise.all([
      labgate(['platforms', 'add', ...moodle, '--deployment-id', '9']),
      labgate(['platforms', 'add', ...moodle.slice(0, 2), '--client-id', 'other', ...moodle.slice(4)]),
      labgate([
        'platforms',
        'add',
        ...moodle.map((a) => a.replace('https://', 'http://')),
        '--deployment-id',
        '1',
        '--name',
        'named',
      ]),
      labgate([
        'platforms',
        'add',
        ...moodle.map((a) => a.replace('https://moodle.example.org', 'http://localhost:9000')),
        '--deployment-id',
        '1',
      ]),
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/^labgate: A platform with issuer https:\/\/moodle\.example\.org/);
    expect(noDeployment.code).not.toBe(0);
    expect(noDeployment.stderr).toContain("required option '--deployment-id <id>' not specified");
    expect(plainHttp.code).not.toBe(0);
    expect(plainHttp.stderr).toMatch(/^labgate: --issuer must use https:\/\//);
    expect(localHttp.code, localHttp.stderr).toBe(0);
  });
});
