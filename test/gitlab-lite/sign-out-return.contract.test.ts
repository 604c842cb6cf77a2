import { createHash } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';

// labgate's sign-out passes through gitlab-lite's, top-level, and must come back to labgate only.
const provider = 'https://labgate.test';
let t: TestGitlab;

beforeAll(async () => {
  t = await startTestGitlab();
  t.lite.setOidc({ issuer: `${provider}/oidc`, clientId: 'forge', clientSecret: 'secret' });
});
afterAll(async () => t?.close());

/** A web session of root's, as a sign-in would leave it: the cookie value. */
function rootSession(value: string) {
  const db = new Database(path.join(t.dataDir, 'gitlab-lite.db'));
  try {
    db.prepare('INSERT INTO web_sessions (id_digest, user_id, created_at) VALUES (?, 1, ?)').run(
      createHash('sha256').update(value).digest('hex'),
      new Date().toISOString(),
    );
  } finally {
    db.close();
  }
  return `_gitlab_session=${value}`;
}

const get = (url: string, cookie?: string) =>
  fetch(`${t.lite.url}${url}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
const signOut = (returnTo: string, cookie?: string) =>
  get(`/users/auth/openid_connect/sign_out?return_to=${encodeURIComponent(returnTo)}`, cookie);

describe('gitlab-lite’s sign-out for the OIDC provider', () => {
  it('ends the session (the cookie no longer works anywhere) and goes back to the provider', async () => {
    const cookie = rootSession('session-of-root-1');
    expect((await get('/', cookie)).status).toBe(200);
    const res = await signOut(`${provider}/sign-out?lang=fr&forge=out`, cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${provider}/sign-out?lang=fr&forge=out`);
    expect(res.headers.get('set-cookie')).toMatch(/^_gitlab_session=;.*Max-Age=0/);
    expect((await get('/', cookie)).headers.get('location')).toMatch(/^\/users\/sign_in/);
  });

  it.each(['https://evil.example/sign-out', '//evil.example/x', 'javascript:alert(1)', '/dashboard'])(
    'goes to its own sign-in page rather than to %j',
    async (returnTo) => {
      const res = await signOut(returnTo);
      expect(res.headers.get('location')).toBe('/users/sign_in?auto_sign_in=false');
    },
  );
});
