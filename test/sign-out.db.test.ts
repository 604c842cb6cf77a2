import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formEncode,
  getWithSession,
  postLaunch,
  sessionCookieOf,
  signedLaunch,
  startTestApp,
  testBaseUrl,
  type TestApp,
} from './support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { FORGE_URL: 'https://gitlab.test', FORGE_TOKEN: 'not-used-here' } });
});
afterAll(async () => t?.close());

const launch = async () => sessionCookieOf(await postLaunch(t, formEncode(signedLaunch(t))))!;
const csrfOf = async (session: string) => (await t.app.services.sessions.findSession(session))!.csrfToken;
const post = (url: string, session: string, csrf: string) =>
  t.app.server.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: testBaseUrl },
    cookies: { labgate_session: session },
    payload: `_csrf=${encodeURIComponent(csrf)}`,
  });

describe('signing out, from every page', () => {
  it('puts a Sign out form with the session’s token on the pages of a signed-in person only', async () => {
    const session = await launch();
    const csrf = await csrfOf(session);
    for (const page of ['/home', '/sign-out', '/no-such-page']) {
      const body = (await getWithSession(t, page, session)).body;
      expect(body, page).toContain('data-testid="sign-out-bar"');
      expect(body, page).toContain(`name="_csrf" value="${csrf}"`);
      expect(body, page).not.toContain('<!--labgate:account-->');
    }
    for (const page of ['/', '/home', '/sign-out']) {
      const body = (await getWithSession(t, page, undefined)).body;
      expect(body, page).not.toContain('sign-out-bar');
    }
  });

  it('asks before signing out on GET, and never signs out on GET', async () => {
    const session = await launch();
    const page = await getWithSession(t, '/sign-out?lang=fr', session);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Se déconnecter de labgate ?');
    expect(page.body).toContain('data-testid="confirm-sign-out"');
    expect(await t.app.services.sessions.findSession(session)).toBeDefined();
  });

  it('ends the session, its workspace passes and the provider’s sign-in, then says so', async () => {
    const session = await launch();
    const passes = t.app.services.workspacePasses;
    const code = await passes.issueCode({ sessionId: session, workspaceId: 'w1', stateHash: 'h' });
    expect(code).toBeTruthy();
    const res = await post('/sign-out', session, await csrfOf(session));
    expect(res.statusCode).toBe(303);
    // A GitLab of its own (not the embedded forge): labgate cannot sign it out, and says so.
    expect(res.headers.location).toMatch(/^\/sign-out\?lang=(en|fr)$/);
    const cleared = res.cookies.filter(
      (c) => c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()),
    );
    expect(cleared.map((c) => c.name)).toEqual(expect.arrayContaining(['labgate_session', '_session']));
    expect(await t.app.services.sessions.findSession(session)).toBeUndefined();
    const left = await t.db.selectFrom('workspace_passes').select('id').execute();
    expect(left).toHaveLength(0);
    const done = await getWithSession(t, `${res.headers.location}`, undefined);
    expect(done.body).toContain('data-testid="signed-out"');
    expect(done.body).toMatch(/sign out there too|déconnectez-vous aussi dans GitLab/);
  });
});

describe('reset my environment and open the forge, through labgate', () => {
  it('offers no reset without a workspace, and none at all without a session', async () => {
    const session = await launch();
    const page = await getWithSession(t, '/home/reset?lang=en', session);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="no-workspace"');
    expect((await getWithSession(t, '/home/reset', undefined)).statusCode).toBe(401);
  });

  it('sends Open in GitLab to the forge page asked, a path on the forge only', async () => {
    const open = (to: string) => getWithSession(t, `/forge/open?to=${encodeURIComponent(to)}`, undefined);
    const res = await open('/labgate/course/ex1-ada/-/blob/main/a%20b.ipynb');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('https://gitlab.test/labgate/course/ex1-ada/-/blob/main/a%20b.ipynb');
    for (const bad of ['//evil.example/x', 'https://evil.example/', '/\t/evil.example', '/\\evil.example'])
      expect((await open(bad)).statusCode, bad).toBe(400);
  });
});
