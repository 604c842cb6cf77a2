import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/labgate-process.ts';
import { browseAcrossSites, gitlabAuthorization, gitlabCallback, startOidcApp } from './oidc-rig.ts';

// Direct login: labgate B trusts the operator's identity provider, here another labgate (A), itself a
// certified-library OIDC provider tested elsewhere: real redirects, real tokens, both sides real.
let idp: Awaited<ReturnType<typeof startOidcApp>>;
let labgate: Awaited<ReturnType<typeof startOidcApp>>;
let gitlab: client.Configuration;

beforeAll(async () => {
  idp = await startOidcApp(undefined);
  const port = await freePort();
  const upstreamClient = await idp.clients.add({
    name: 'labgate B',
    redirectUris: [`http://localhost:${port}/login/oidc/callback`],
    firstParty: true,
    tokenAuth: 'client_secret_basic',
  });
  labgate = await startOidcApp(undefined, {
    host: 'localhost',
    port,
    env: {
      LOGIN_OIDC_ISSUER: idp.issuer,
      LOGIN_OIDC_CLIENT_ID: upstreamClient.clientId,
      LOGIN_OIDC_CLIENT_SECRET: upstreamClient.clientSecret,
      LOGIN_OIDC_NAME: 'Université Test',
    },
  });
  gitlab = await client.discovery(
    new URL(labgate.issuer),
    labgate.gitlab.clientId,
    labgate.gitlab.clientSecret,
    undefined,
    { execute: [client.allowInsecureRequests] },
  );
});
afterAll(async () => {
  await labgate?.close();
  await idp?.close();
});

/** GitLab asks labgate B who this is; the browser has a session at the identity provider only. */
async function signInToGitlabDirectly(idpSession: string) {
  const request = await gitlabAuthorization(gitlab);
  const jar: Record<string, Record<string, string>> = { '127.0.0.1': { labgate_session: idpSession } };
  const page = await browseAcrossSites(request.url, jar, gitlabCallback);
  expect(page.body).toContain('Or sign in with Université Test');
  const href = /data-testid="direct-login" href="([^"]+)"/.exec(page.body)![1]!.replaceAll('&amp;', '&');
  const end = await browseAcrossSites(new URL(href, page.url).href, jar, gitlabCallback);
  const tokens = await client.authorizationCodeGrant(gitlab, new URL(end.url), {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  return tokens.claims()!.sub;
}

describe('direct login through the operator’s identity provider, for people who skip the LMS', () => {
  it('signs in, at GitLab, the same person who came from their course, by their verified e-mail', async () => {
    const fromCourse = await labgate.signIn('ada-lms', 'Ada Lovelace', {
      lis_person_contact_email_primary: 'ada@univ.test',
    });
    const atIdp = await idp.signIn('ada-sso', 'Ada Lovelace', {
      lis_person_contact_email_primary: 'ada@univ.test',
    });
    expect(await signInToGitlabDirectly(atIdp.session)).toBe(fromCourse.labgateId);
    // And again, now by the linked identity.
    expect(await signInToGitlabDirectly(atIdp.session)).toBe(fromCourse.labgateId);
  });

  it('makes a new labgate user for someone it never saw', async () => {
    const atIdp = await idp.signIn('zoe-sso', 'Zoé', { lis_person_contact_email_primary: 'zoe@univ.test' });
    const sub = await signInToGitlabDirectly(atIdp.session);
    const user = await labgate.app.app.services.users.findUser(sub);
    expect(user).toMatchObject({ displayName: 'Zoé', email: 'zoe@univ.test' });
  });

  it('refuses a disabled account through direct login too', async () => {
    const fromCourse = await labgate.signIn('mal-lms', 'Mal', {
      lis_person_contact_email_primary: 'mal@univ.test',
    });
    await labgate.app.app.services.users.setDisabled(fromCourse.labgateId, true);
    const atIdp = await idp.signIn('mal-sso', 'Mal', { lis_person_contact_email_primary: 'mal@univ.test' });
    await expect(signInToGitlabDirectly(atIdp.session)).rejects.toThrow();
    const sessions = await labgate.app.db
      .selectFrom('sessions')
      .select('user_id')
      .where('user_id', '=', fromCourse.labgateId)
      .execute();
    expect(sessions).toHaveLength(1); // only the course launch's, none from the refused sign-in
  });

  it('refuses a callback it did not start, and never redirects off-site afterwards', async () => {
    const forged = await fetch(`${labgate.base}/login/oidc/callback?code=x&state=never-issued`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('did not complete');
    const start = await fetch(`${labgate.base}/login/oidc?return_to=//evil.example/x`, {
      redirect: 'manual',
    });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const row = await labgate.app.db
      .selectFrom('upstream_logins')
      .select('return_to')
      .where('state', '=', state)
      .executeTakeFirstOrThrow();
    expect(row.return_to).toBe('/home');
  });

  // Browsers drop tabs and newlines from URLs and read `\` as `/`: the first three leave the site as sent;
  // the last normalizes to `//evil.example`, which any later redirect would.
  it.each(['/\t/evil.example/pwn', '/\n/evil.example/pwn', '/\\evil.example/pwn', '/..//evil.example/pwn'])(
    'keeps only a plain labgate path to return to, not %j',
    async (returnTo) => {
      const start = await fetch(`${labgate.base}/login/oidc?return_to=${encodeURIComponent(returnTo)}`, {
        redirect: 'manual',
      });
      const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
      const row = await labgate.app.db
        .selectFrom('upstream_logins')
        .select('return_to')
        .where('state', '=', state)
        .executeTakeFirstOrThrow();
      expect(row.return_to).toBe('/home');
    },
  );
});
