import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from './support/test-database.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/labgate.js');
let database: Awaited<ReturnType<typeof openTestDatabase>>;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());

async function labgate(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the labgate command line', () => {
  it('registers GitLab as an OIDC client, shows its secret once, lists and removes it', async () => {
    const env = { PUBLIC_BASE_URL: 'https://labgate.example.edu' };
    const callback = 'https://gitlab.example.edu/users/auth/openid_connect/callback';
    const added = await labgate(['oidc-clients', 'add', '--name', 'GitLab', '--redirect-uri', callback], env);
    expect(added.code).toBe(0);
    const clientId = /client_id:\s+(\S+)/.exec(added.stdout)![1]!;
    const secret = /client_secret:\s+(\S+)/.exec(added.stdout)![1]!;
    expect(added.stdout).toContain('issuer:        https://labgate.example.edu/oidc');
    const listed = await labgate(['oidc-clients', 'list', '--json'], env);
    expect(JSON.parse(listed.stdout)).toContainEqual({
      client_id: clientId,
      name: 'GitLab',
      first_party: 'yes',
      redirect_uris: callback,
    });
    expect(listed.stdout).not.toContain(secret);
    const bad = await labgate(
      ['oidc-clients', 'add', '--name', 'X', '--redirect-uri', 'https://x.test/cb#frag'],
      env,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('must be http(s) and carry no #fragment');
    expect((await labgate(['oidc-clients', 'remove', clientId], env)).code).toBe(0);
    expect((await labgate(['oidc-clients', 'remove', clientId], env)).stderr).toContain(
      `no client ${clientId}`,
    );
  });

  it('adds a consumer with a high-entropy secret, lists it without the secret, and rotates it', async () => {
    const added = await labgate([
      'consumers',
      'add',
      '--name',
      'FUN MOOC',
      '--origin',
      'https://lms.fun-mooc.fr/x',
    ]);
    expect(added.code).toBe(0);
    const key = /consumer key:\s+(\S+)/.exec(added.stdout)![1]!;
    const secret = /consumer secret:\s+(\S+)/.exec(added.stdout)![1]!;
    expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(32);

    const listed = await labgate(['consumers', 'list', '--json']);
    const rows = JSON.parse(listed.stdout) as Array<Record<string, string>>;
    expect(rows).toContainEqual(
      expect.objectContaining({ key, name: 'FUN MOOC', origin: 'https://lms.fun-mooc.fr' }),
    );
    expect(listed.stdout).not.toContain(secret);

    const rotated = await labgate(['consumers', 'rotate', key, '--overlap-hours', '2']);
    expect(rotated.code).toBe(0);
    const newSecret = /consumer secret:\s+(\S+)/.exec(rotated.stdout)![1];
    expect(newSecret).not.toBe(secret);
    expect(rotated.stdout).toMatch(/previous secret keeps working until \d{4}-/);
  });

  it('refuses a duplicate key and an unknown one with a readable line', async () => {
    await labgate(['consumers', 'add', '--name', 'A', '--key', 'dup-key']);
    const again = await labgate(['consumers', 'add', '--name', 'B', '--key', 'dup-key']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^labgate: A consumer with key "dup-key" already exists/);
    const missing = await labgate(['consumers', 'rotate', 'nobody']);
    expect(missing.stderr).toMatch(/^labgate: No consumer has key "nobody"/);
  });

  it('creates and lists courses', async () => {
    const created = await labgate([
      'courses',
      'create',
      '--title',
      'Python pour la science',
      '--context-id',
      'course-v1:Inria+PY101+2026',
      '--consumer',
      'dup-key',
    ]);
    expect(created.code).toBe(0);
    const listed = JSON.parse((await labgate(['courses', 'list', '--json'])).stdout) as Array<
      Record<string, string>
    >;
    expect(listed).toContainEqual(
      expect.objectContaining({
        title: 'Python pour la science',
        lms: 'lti11:dup-key',
        context: 'course-v1:Inria+PY101+2026',
      }),
    );
    const neither = await labgate(['courses', 'create', '--title', 'x', '--context-id', 'c']);
    expect(neither.stderr).toContain('give exactly one of --consumer');
  });

  it('registers an LTI 1.3 platform, prints the tool URLs, and lists it', async () => {
    const added = await labgate(
      [
        'platforms',
        'add',
        '--issuer',
        'https://moodle.example.org',
        '--client-id',
        'abc123',
        '--auth-login-url',
        'https://moodle.example.org/mod/lti/auth.php',
        '--jwks-url',
        'https://moodle.example.org/mod/lti/certs.php',
        '--deployment-id',
        '1',
        '--deployment-id',
        '2',
      ],
      { PUBLIC_BASE_URL: 'https://labgate.example.org' },
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('login initiation URL:   https://labgate.example.org/lti/1.3/login');
    expect(added.stdout).toContain('https://labgate.example.org/.well-known/jwks.json');
    const rows = JSON.parse((await labgate(['platforms', 'list', '--json'])).stdout) as Array<
      Record<string, string>
    >;
    expect(rows).toContainEqual(
      expect.objectContaining({
        issuer: 'https://moodle.example.org',
        'client id': 'abc123',
        deployments: '1 2',
      }),
    );
    const insecure = await labgate([
      'platforms',
      'add',
      '--issuer',
      'https://x.org',
      '--client-id',
      'c',
      '--auth-login-url',
      'http://x.org/a',
      '--jwks-url',
      'https://x.org/k',
      '--deployment-id',
      '1',
    ]);
    expect(insecure.stderr).toMatch(/^labgate: --auth-login-url must use https:\/\//);
  });

  it('stops on a bad setting with one line naming it (exit code 2)', async () => {
    const res = await labgate(['consumers', 'list'], { DATABASE_URL: 'mysql://nope' });
    expect(res.code).toBe(2);
    expect(res.stderr.trim()).toMatch(
      /^labgate: Setting DATABASE_URL: expected sqlite:<file path> or postgres/,
    );
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('has --help on every command', async () => {
    const commands = [
      [],
      ['serve'],
      ['demo'],
      ['migrate'],
      ['consumers', 'add'],
      ['consumers', 'list'],
      ['consumers', 'rotate'],
      ['platforms', 'add'],
      ['platforms', 'list'],
      ['courses', 'create'],
      ['courses', 'list'],
      ['assignments', 'add'],
      ['assignments', 'list'],
      ['forge', 'check'],
      ['gitlab-lite'],
    ];
    // A few at a time: a dozen node processes at once on a busy 2-core CI machine is a load test.
    const results: Array<Awaited<ReturnType<typeof labgate>>> = [];
    for (let i = 0; i < commands.length; i += 4) {
      results.push(...(await Promise.all(commands.slice(i, i + 4).map((c) => labgate([...c, '--help'])))));
    }
    results.forEach((res, i) => {
      expect(res.code, `${commands[i]!.join(' ')}: ${res.stderr}`).toBe(0);
      expect(res.stdout).toMatch(/^Usage: labgate/);
    });
  });
});
