import { createServer, type Server } from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';

// GitLab's `redirect_to` after sign-in must stay on the forge: browsers drop tabs and newlines from URLs
// and read `\` as `/`, so `/%09/evil.example` is `//evil.example`, another site.
let t: TestGitlab;
let idp: Server;

beforeAll(async () => {
  t = await startTestGitlab();
  // Only discovery is needed to start a sign-in: a provider that answers it and nothing else.
  idp = createServer((_req, res) => {
    const issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/me`,
        jwks_uri: `${issuer}/jwks`,
      }),
    );
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
  t.lite.setOidc({ issuer, clientId: 'forge', clientSecret: 'secret' });
});
afterAll(async () => {
  await t.close();
  idp.close();
});

/** Where the forge will send the browser after this sign-in, as it stored it. */
async function storedReturn(redirectTo: string) {
  const res = await fetch(
    `${t.lite.url}/users/auth/openid_connect?redirect_to=${encodeURIComponent(redirectTo)}`,
    { redirect: 'manual' },
  );
  expect(res.status).toBe(302);
  const state = new URL(res.headers.get('location')!).searchParams.get('state');
  const db = new Database(path.join(t.dataDir, 'gitlab-lite.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT return_to FROM oidc_logins WHERE state = ?').get(state);
    return (row as { return_to: string }).return_to;
  } finally {
    db.close();
  }
}

describe('gitlab-lite signs people in and sends them back to the forge only', () => {
  it.each(['/\t/evil.example/pwn', '/\n/evil.example/pwn', '/\\evil.example/pwn', '//evil.example/pwn'])(
    'goes back to / rather than to %j',
    async (redirectTo) => {
      expect(await storedReturn(redirectTo)).toBe('/');
    },
  );

  it('keeps a path on the forge', async () => {
    expect(await storedReturn('/course/fork/-/blob/main/README.md')).toBe(
      '/course/fork/-/blob/main/README.md',
    );
  });
});
