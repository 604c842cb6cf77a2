import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabLite } from '../../gitlab-lite/index.ts';
import { checkForge } from '../../src/forge/index.ts';
import { freePort } from '../support/labgate-process.ts';
import { rootToken, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/labgate.js');
let bare: TestGitlab;
let withOidc: Awaited<ReturnType<typeof startGitlabLite>>;
const oidcData = mkdtempSync(path.join(tmpdir(), 'gitlab-lite-oidc-'));

beforeAll(async () => {
  bare = await startTestGitlab();
  withOidc = await startGitlabLite({
    port: 0,
    dataDir: oidcData,
    rootToken,
    omniauthProviders: [{ name: 'openid_connect', label: 'Course login' }],
  });
});
afterAll(async () => {
  await withOidc.close();
  rmSync(oidcData, { recursive: true, force: true });
  await bare.close();
});

const summary = (results: Awaited<ReturnType<typeof checkForge>>) =>
  results.map((r) => `${r.ok ? 'ok' : 'FAIL'} ${r.name}`);

async function cli(args: string[]) {
  try {
    const { stdout } = await run(process.execPath, [bin, 'forge', 'check', ...args]);
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout + e.stderr };
  }
}

describe('labgate forge check', () => {
  it('passes a GitLab with an administrator token and OpenID Connect sign-in', async () => {
    const results = await checkForge({ url: withOidc.url, token: rootToken });
    expect(summary(results)).toEqual(['ok reachable', 'ok version', 'ok admin', 'ok oidc']);
    expect(results[1]!.detail).toMatch(/^GitLab \d+\.\d+/);
  });

  it('says how to configure GitLab when its sign-in page has no OpenID Connect button', async () => {
    const results = await checkForge({ url: bare.lite.url, token: rootToken });
    const oidc = results.find((r) => r.name === 'oidc')!;
    expect(oidc.ok).toBe(false);
    expect(oidc.fix).toContain("gitlab_rails['omniauth_providers']");
    expect(oidc.fix).toContain('gitlab-ctl reconfigure');
  });

  it('names a wrong token, a non-administrator, and an unreachable URL', async () => {
    const wrong = await checkForge({ url: bare.lite.url, token: 'not-a-token' });
    expect(summary(wrong)).toEqual(['ok reachable', 'FAIL token']);
    expect(wrong[1]!.fix).toContain('administrator with the api scope');

    const learner = await bare.api.Users.create({
      email: 'l@x.invalid',
      name: 'L',
      username: 'learner',
      forceRandomPassword: true,
    });
    const { token } = await bare.api.UserImpersonationTokens.create(learner.id as number, 't', ['api']);
    const notAdmin = await checkForge({ url: bare.lite.url, token: token as string });
    expect(notAdmin.find((r) => r.name === 'admin')).toMatchObject({
      ok: false,
      detail: 'the token belongs to learner, who is not an administrator',
    });

    const closed = await freePort();
    const down = await checkForge({ url: `http://127.0.0.1:${closed}`, token: rootToken, timeoutMs: 2000 });
    expect(down).toEqual([expect.objectContaining({ name: 'reachable', ok: false })]);
    expect(down[0]!.detail).toContain('ECONNREFUSED');
  });

  it('prints one line per check, never the token, and exits 1 when a check fails', async () => {
    const good = await cli(['--url', withOidc.url, '--token', rootToken]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('✓ admin');
    expect(good.stdout).toContain('GitLab is ready for labgate.');
    const bad = await cli(['--url', bare.lite.url, '--token', rootToken]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('✗ oidc');
    expect(bad.stdout + good.stdout).not.toContain(rootToken);
  });
});
