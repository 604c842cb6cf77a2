import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { browse, gitlabAuthorization, gitlabCallback, startOidcApp } from './oidc-rig.ts';

let t: TestGitlab;
let oidc: Awaited<ReturnType<typeof startOidcApp>>;
let config: client.Configuration;

beforeAll(async () => {
  t = await startTestGitlab();
  oidc = await startOidcApp(t);
  config = await client.discovery(
    new URL(oidc.issuer),
    oidc.gitlab.clientId,
    oidc.gitlab.clientSecret,
    undefined,
    {
      execute: [client.allowInsecureRequests],
    },
  );
});
afterAll(async () => {
  await oidc?.close();
  await t?.close();
});

/** GitLab's omniauth openid_connect, step by step: authorize with PKCE and nonce, then back with a code. */
async function authorize(session: string | undefined, over: Record<string, string> = {}) {
  const request = await gitlabAuthorization(config, over);
  const cookies: Record<string, string> = session ? { labgate_session: session } : {};
  const end = await browse(request.url, cookies, gitlabCallback);
  return { ...end, verifier: request.verifier, state: request.state, nonce: request.nonce };
}

async function waitForGitlabAccount(labgateId: string) {
  for (let i = 0; i < 100; i++) {
    const jobs = await oidc.app.app.services.db
      .selectFrom('provisionings')
      .select(['status'])
      .where('user_id', '=', labgateId)
      .execute();
    if (jobs.length && jobs.every((j) => j.status === 'done')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('provisioning did not finish');
}

describe('labgate as GitLab’s OpenID Connect provider, driven by openid-client exactly as GitLab does', () => {
  it('publishes a discovery document GitLab accepts', () => {
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(oidc.issuer);
    expect(meta).toMatchObject({
      authorization_endpoint: `${oidc.issuer}/auth`,
      token_endpoint: `${oidc.issuer}/token`,
      userinfo_endpoint: `${oidc.issuer}/me`,
      jwks_uri: `${oidc.issuer}/jwks`,
    });
    expect(meta.response_types_supported).toContain('code');
    expect(meta.subject_types_supported).toContain('public');
    expect(meta.id_token_signing_alg_values_supported).toContain('RS256');
    expect(meta.code_challenge_methods_supported).toContain('S256');
  });

  it('signs in a person with a labgate session without a prompt, with every claim GitLab reads', async () => {
    const { session, labgateId } = await oidc.signIn('teacher-1', 'Ada Lovelace', {
      lis_person_contact_email_primary: 'ada@example.edu',
    });
    await waitForGitlabAccount(labgateId);
    const flow = await authorize(session);
    expect(flow.url).toMatch(/^https:\/\/gitlab\.test\/users\/auth\/openid_connect\/callback\?code=/);
    const tokens = await client.authorizationCodeGrant(config, new URL(flow.url), {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
    const idToken = tokens.claims()!;
    expect(idToken).toMatchObject({
      iss: oidc.issuer,
      aud: oidc.gitlab.clientId,
      sub: labgateId,
      nonce: flow.nonce,
    });
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, labgateId);
    // The GitLab account labgate made for this person: same identity, same username.
    const [gitlabUser] = await t.api.Users.all({ externUid: labgateId, provider: 'openid_connect' });
    expect(gitlabUser).toBeDefined();
    expect(userinfo).toEqual({
      sub: labgateId,
      preferred_username: gitlabUser!.username,
      name: 'Ada Lovelace',
      email: 'ada@example.edu',
      email_verified: true,
    });
    expect(gitlabUser!.email).toBe('ada@example.edu');
  });

  it('sends a person without a session to a page explaining how to come in from their course', async () => {
    const flow = await authorize(undefined);
    expect(flow.res.status).toBe(200);
    expect(flow.body).toContain('not signed in to labgate');
    expect(flow.body).toContain('Open your course in your LMS');
  });

  it('asks a person to consent before a third-party client gets their profile, and honours a refusal', async () => {
    const { session } = await oidc.signIn('teacher-5', 'Barbara Liskov');
    const hub = await oidc.clients.add({
      name: 'Course JupyterHub',
      redirectUris: ['https://hub.test/hub/oauth_callback'],
      firstParty: false,
      tokenAuth: 'client_secret_post',
    });
    const authorizeUrl = () => {
      const url = new URL(`${oidc.issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: hub.clientId,
        redirect_uri: 'https://hub.test/hub/oauth_callback',
        response_type: 'code',
        scope: 'openid profile',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGcSFY-cM8',
        code_challenge_method: 'S256',
      }).toString();
      return url.href;
    };
    for (const decision of ['allow', 'deny']) {
      const cookies: Record<string, string> = { labgate_session: session };
      const consent = await browse(authorizeUrl(), cookies, 'https://hub.test/');
      expect(consent.body).toMatch(/Course JupyterHub (asks for your name|demande votre nom)/);
      const posted = await fetch(consent.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: Object.entries(cookies)
            .map(([k, v]) => `${k}=${v}`)
            .join('; '),
        },
        body: new URLSearchParams({ decision }),
      });
      const end = await browse(
        new URL(posted.headers.get('location')!, consent.url).href,
        cookies,
        'https://hub.test/',
      );
      const back = new URL(end.url);
      if (decision === 'allow') expect(back.searchParams.get('code')).toBeTruthy();
      else expect(back.searchParams.get('error')).toBe('access_denied');
    }
  });

  it('gives the placeholder address, unverified, when the LMS sent no e-mail', async () => {
    const { session, labgateId } = await oidc.signIn('teacher-2', 'Grace Hopper');
    await waitForGitlabAccount(labgateId);
    const flow = await authorize(session);
    const tokens = await client.authorizationCodeGrant(config, new URL(flow.url), {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, labgateId);
    expect(userinfo).toMatchObject({ email: `${labgateId}@users.labgate.invalid`, email_verified: false });
  });
});

describe('the OAuth refusals: standard errors, shown clearly, logged without secrets', () => {
  const tokenRequest = (
    body: Record<string, string>,
    auth = `${oidc.gitlab.clientId}:${oidc.gitlab.clientSecret}`,
  ) =>
    fetch(`${oidc.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
      },
      body: new URLSearchParams(body),
    });

  async function codeFor(session: string) {
    const flow = await authorize(session);
    return { ...flow, code: new URL(flow.url).searchParams.get('code')! };
  }

  it('shows an unregistered redirect URI or an unknown client as a page, never redirecting there', async () => {
    const { session } = await oidc.signIn('teacher-3', 'Alan Turing');
    const wrong = await authorize(session, { redirect_uri: 'https://evil.example/callback' });
    expect(wrong.res.status).toBe(400);
    expect(wrong.body).toContain('did not register');
    expect(wrong.body).toContain('invalid_redirect_uri');
    const url = new URL(`${oidc.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: 'nobody',
      redirect_uri: gitlabCallback,
      response_type: 'code',
      scope: 'openid',
    }).toString();
    const unknown = await browse(url.href, {}, gitlabCallback);
    expect(unknown.res.status).toBe(400);
    expect(unknown.body).toContain('not registered with labgate');
  });

  it('refuses a request without PKCE', async () => {
    const { session } = await oidc.signIn('teacher-3', 'Alan Turing');
    const url = new URL(`${oidc.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: oidc.gitlab.clientId,
      redirect_uri: gitlabCallback,
      response_type: 'code',
      scope: 'openid',
    }).toString();
    const end = await browse(url.href, { labgate_session: session }, gitlabCallback);
    const back = new URL(end.url);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('takes a code once, only with its verifier, and not after it expired', async () => {
    const { session } = await oidc.signIn('teacher-3', 'Alan Turing');
    const first = await codeFor(session);
    const redeem = (code: string, verifier: string) =>
      tokenRequest({
        grant_type: 'authorization_code',
        code,
        redirect_uri: gitlabCallback,
        code_verifier: verifier,
      });
    const wrongVerifier = await redeem(first.code, 'x'.repeat(43));
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });

    const second = await codeFor(session);
    expect((await redeem(second.code, second.verifier)).status).toBe(200);
    const replay = await redeem(second.code, second.verifier);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    // The operator sees the refusal, never the code, the verifier or the client's secret.
    const refusal = oidc
      .logs()
      .split('\n')
      .filter((l) => l.includes('OpenID Connect request refused') && l.includes('invalid_grant'));
    expect(refusal.length).toBeGreaterThan(0);
    for (const secret of [second.code, second.verifier, oidc.gitlab.clientSecret])
      expect(oidc.logs()).not.toContain(secret);

    const third = await codeFor(session);
    await oidc.app.db
      .updateTable('oidc_records')
      .set({ expires_at: Date.now() - 1 })
      .where('model', '=', 'AuthorizationCode')
      .execute();
    const expired = await redeem(third.code, third.verifier);
    expect(await expired.json()).toMatchObject({ error: 'invalid_grant' });

    const badSecret = await tokenRequest(
      {
        grant_type: 'authorization_code',
        code: third.code,
        redirect_uri: gitlabCallback,
        code_verifier: third.verifier,
      },
      `${oidc.gitlab.clientId}:wrong`,
    );
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('sends a disabled account back to GitLab with access_denied', async () => {
    const { session, labgateId } = await oidc.signIn('teacher-4', 'Mallory');
    await oidc.app.app.services.users.setDisabled(labgateId, true);
    const flow = await authorize(session);
    const back = new URL(flow.url);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
  });
});
