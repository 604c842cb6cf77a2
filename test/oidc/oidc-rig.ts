import { Writable } from 'node:stream';
import * as client from 'openid-client';
import { createOidcClientStore } from '../../src/identity/index.ts';
import { rootToken, type TestGitlab } from '../support/gitlab-lite.ts';
import { freePort } from '../support/labgate-process.ts';
import {
  formEncode,
  learnerParams,
  postLaunch,
  sessionCookieOf,
  signedLaunch,
  startTestApp,
} from '../support/test-app.ts';

export const gitlabCallback = 'https://gitlab.test/users/auth/openid_connect/callback';

/** labgate listening on a real port (OIDC clients fetch it), its forge gitlab-lite, and GitLab's client. */
export async function startOidcApp(
  t: TestGitlab | undefined,
  o: { host?: string; port?: number; env?: Record<string, string> } = {},
) {
  const port = o.port ?? (await freePort());
  const base = `http://${o.host ?? '127.0.0.1'}:${port}`;
  let logs = '';
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs += chunk.toString();
      done();
    },
  });
  const app = await startTestApp({
    env: {
      PUBLIC_BASE_URL: base,
      LOG_LEVEL: 'warn',
      ...(t ? { FORGE_URL: t.lite.url, FORGE_TOKEN: rootToken } : {}),
      ...o.env,
    },
    logStream,
  });
  await app.app.server.listen({ port, host: '127.0.0.1' });
  const clients = createOidcClientStore(app.db);
  const gitlab = await clients.add({
    name: 'GitLab',
    redirectUris: [gitlabCallback],
    firstParty: true,
    tokenAuth: 'client_secret_basic',
  });
  return {
    app,
    base,
    issuer: `${base}/oidc`,
    clients,
    gitlab,
    /** What labgate logged (JSON lines, warnings and up). */
    logs: () => logs,
    /** An LTI launch from the course (a teacher's, so that labgate makes their GitLab account). */
    async signIn(userId: string, name: string, extra: Record<string, string> = {}) {
      const res = await postLaunch(
        app,
        formEncode(
          signedLaunch(app, {
            signedUrl: `${base}/lti/launch`,
            params: learnerParams({
              user_id: userId,
              lis_person_name_full: name,
              roles: 'Instructor',
              ...extra,
            }),
          }),
        ),
      );
      if (res.statusCode !== 303) throw new Error(`launch refused: ${res.statusCode} ${res.payload}`);
      const user = await app.db
        .selectFrom('user_identities')
        .select('user_id')
        .where('subject', '=', userId)
        .executeTakeFirstOrThrow();
      return { session: sessionCookieOf(res)!, labgateId: user.user_id };
    },
    close: () => app.close(),
  };
}

/**
 * Follows redirects as a browser does, sending and keeping the cookies `cookiesFor` gives for each
 * host, until a URL starting with `stopAt` (the client's callback) or a page.
 */
async function follow(start: string, cookiesFor: (host: string) => Record<string, string>, stopAt: string) {
  let url = start;
  for (let hops = 0; hops < 20; hops++) {
    const cookies = cookiesFor(new URL(url).hostname);
    const res = await fetch(url, {
      redirect: 'manual',
      headers: {
        cookie: Object.entries(cookies)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
        'accept-language': 'en',
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      cookies[pair!.slice(0, eq)] = pair!.slice(eq + 1);
    }
    const location = res.headers.get('location');
    if (!location) return { url, res, body: await res.text() };
    url = new URL(location, url).href;
    if (url.startsWith(stopAt)) return { url, res, body: '' };
  }
  throw new Error('too many redirects');
}

/** Redirects within one site (labgate), with one cookie map. */
export const browse = (start: string, cookies: Record<string, string>, stopAt: string) =>
  follow(start, () => cookies, stopAt);

/** Redirects across sites, with cookies kept per host name as a browser keeps them. */
export const browseAcrossSites = (
  start: string,
  jar: Record<string, Record<string, string>>,
  stopAt: string,
) => follow(start, (host) => (jar[host] ??= {}), stopAt);

/** The authorization request GitLab's omniauth openid_connect sends: PKCE, state and nonce, fresh each time. */
export async function gitlabAuthorization(config: client.Configuration, over: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: gitlabCallback,
    scope: 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...over,
  });
  return { url: url.href, verifier, state, nonce };
}
