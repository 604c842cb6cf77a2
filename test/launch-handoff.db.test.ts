import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formEncode,
  getWithSession,
  postLaunch,
  sessionCookieOf,
  signedLaunch,
  startTestApp,
  type TestApp,
} from './support/test-app.ts';

let t: TestApp;
let now: number;
beforeEach(async () => {
  now = Date.now();
  t = await startTestApp({ now: () => now });
});
afterEach(async () => t.close());

async function launch() {
  const res = await postLaunch(t, formEncode(signedLaunch(t, { nowSeconds: Math.floor(now / 1000) })));
  return { continueUrl: res.headers.location as string, iframeCookie: sessionCookieOf(res)! };
}

const newTabUrl = (page: string) =>
  /href="(\/launch\/continue\?[^"]+tab=new[^"]*)"/.exec(page)![1]!.replace(/&amp;/g, '&');

describe('continuing a launch whose cookie an LMS iframe blocked', () => {
  it('offers a new-tab link, which opens the session there once and retires the iframe’s id', async () => {
    const { continueUrl, iframeCookie } = await launch();
    const blocked = await getWithSession(t, continueUrl, undefined);
    expect(blocked.statusCode).toBe(200);
    expect(blocked.body).toContain('Ouvrir labgate dans un nouvel onglet');
    const link = newTabUrl(blocked.body);
    expect(blocked.body).toContain('target="_blank"');

    const newTab = await getWithSession(t, link, undefined);
    expect(newTab.statusCode).toBe(303);
    expect(newTab.headers.location).toBe('/home');
    const tabCookie = sessionCookieOf(newTab);
    expect(tabCookie).toBeDefined();
    expect((await getWithSession(t, '/home', tabCookie)).body).toContain('Camille Durand');
    expect((await getWithSession(t, '/home', iframeCookie)).statusCode).toBe(401);

    const again = await getWithSession(t, link, undefined);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('déjà servi');
  });

  it('burns the handoff once the cookie arrived, so the link cannot be used by anyone later', async () => {
    const { continueUrl, iframeCookie } = await launch();
    expect((await getWithSession(t, continueUrl, iframeCookie)).headers.location).toBe('/home');
    const link = `${continueUrl}&tab=new`;
    expect((await getWithSession(t, link, undefined)).statusCode).toBe(410);
  });

  it('expires the handoff after five minutes', async () => {
    const { continueUrl } = await launch();
    now += 301_000;
    expect((await getWithSession(t, `${continueUrl}&tab=new`, undefined)).statusCode).toBe(410);
  });
});
