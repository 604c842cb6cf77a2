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
    { execute: [client.allowInsecureRequests] },
  );
});
afterAll(async () => {
  await oidc?.close();
  await t?.close();
});

/**
 * A browser signing in to GitLab with one cookie jar on labgate's origin: redirects are followed, and
 * the provider's self-submitting forms (its sign-out of the previous person) are submitted.
 */
async function signInToGitlab(jar: Record<string, string>) {
  const request = await gitlabAuthorization(config);
  let end = await browse(request.url, jar, gitlabCallback);
  for (let forms = 0; forms < 3 && !end.url.startsWith(gitlabCallback); forms++) {
    const action = /<form method="post" action="([^"]+)"/.exec(end.body)?.[1];
    if (!action) break;
    const fields = [...end.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)];
    const res = await fetch(new URL(action.replace(/&amp;/g, '&'), end.url), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: new URL(oidc.base).origin,
        cookie: Object.entries(jar)
          .map(([k, v]) => `${k}=${v}`)
          .join('; '),
      },
      body: new URLSearchParams(fields.map((m): [string, string] => [m[1]!, m[2]!])),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar[pair!.slice(0, eq)] = pair!.slice(eq + 1);
    }
    end = await browse(new URL(res.headers.get('location')!, end.url).href, jar, gitlabCallback);
  }
  if (!end.url.startsWith(gitlabCallback))
    throw new Error(
      `no code: ${end.res.status} ${end.url} ${end.body.replace(/<style>[^]*<\/style>/, '').slice(0, 1500)}`,
    );
  const tokens = await client.authorizationCodeGrant(config, new URL(end.url), {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  return tokens.claims()!.sub;
}

describe('the provider signs in the person labgate’s session names, not the one it signed in before', () => {
  it('gives GitLab the second person when a second launch took over the browser', async () => {
    const first = await oidc.signIn('switch-1', 'Ada Lovelace');
    const second = await oidc.signIn('switch-2', 'Grace Hopper');
    const jar: Record<string, string> = { labgate_session: first.session };
    expect(await signInToGitlab(jar)).toBe(first.labgateId);
    expect(Object.keys(jar)).toContain('_session'); // the provider's own sign-in, kept by the browser
    jar['labgate_session'] = second.session;
    expect(await signInToGitlab(jar)).toBe(second.labgateId);
    // And back again: each time the person of the labgate session.
    jar['labgate_session'] = first.session;
    expect(await signInToGitlab(jar)).toBe(first.labgateId);
  });

  it('signs nobody in once the labgate session is gone, even with the provider’s cookie', async () => {
    const { session, labgateId } = await oidc.signIn('switch-3', 'Alan Turing');
    const jar: Record<string, string> = { labgate_session: session };
    expect(await signInToGitlab(jar)).toBe(labgateId);
    delete jar['labgate_session'];
    const request = await gitlabAuthorization(config);
    const end = await browse(request.url, jar, gitlabCallback);
    expect(end.url.startsWith(gitlabCallback)).toBe(false);
    expect(end.body).toContain('not signed in to labgate');
  });
});
