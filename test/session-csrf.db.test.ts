import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
let session: string;
let csrf: string;
beforeEach(async () => {
  t = await startTestApp();
  session = sessionCookieOf(await postLaunch(t, formEncode(signedLaunch(t))))!;
  const home = await getWithSession(t, '/home', session);
  csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)![1]!;
});
afterEach(async () => t.close());

const logout = (body: string, headers: Record<string, string> = {}) =>
  t.app.server.inject({
    method: 'POST',
    url: '/logout',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    cookies: { labgate_session: session },
    payload: body,
  });

describe('sessions and CSRF', () => {
  it('refuses a state-changing form without the session’s CSRF token, and keeps the session', async () => {
    const res = await logout('');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('WEB_CSRF');
    expect((await logout('_csrf=forged')).statusCode).toBe(403);
    expect((await getWithSession(t, '/home', session)).statusCode).toBe(200);
  });

  it('refuses a form posted from another origin even with the token', async () => {
    const res = await logout(`_csrf=${encodeURIComponent(csrf)}`, { origin: 'https://evil.test' });
    expect(res.statusCode).toBe(403);
  });

  it('signs out with the token from labgate’s own origin', async () => {
    const res = await logout(`_csrf=${encodeURIComponent(csrf)}`, { origin: testBaseUrl });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/sign-out\?lang=(en|fr)$/);
    expect((await getWithSession(t, '/home', session)).statusCode).toBe(401);
  });

  it('explains what to do when there is no session', async () => {
    const res = await getWithSession(t, '/home', undefined);
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Open the activity again from your course');
  });

  it('sends a signed-in visitor of / to their home, others to a page explaining how to come in', async () => {
    expect((await getWithSession(t, '/', session)).headers.location).toBe('/home');
    const welcome = await t.app.server.inject({
      method: 'GET',
      url: '/',
      headers: { 'accept-language': 'fr-FR,fr' },
    });
    expect(welcome.body).toContain('labgate s’ouvre depuis votre cours');
  });

  it('answers unknown paths with a readable 404', async () => {
    const res = await t.app.server.inject({
      method: 'GET',
      url: '/nope?<x>',
      headers: { accept: 'text/html' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('There is no page at /nope');
  });
});
