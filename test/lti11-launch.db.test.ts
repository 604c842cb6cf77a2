import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formEncode,
  getWithSession,
  learnerParams,
  postLaunch,
  sessionCookieOf,
  signedLaunch,
  startTestApp,
  type TestApp,
} from './support/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => t.close());

async function launchAndOpenHome(body: string) {
  const res = await postLaunch(t, body);
  expect(res.statusCode, res.body).toBe(303);
  expect(res.headers.location).toMatch(/^\/launch\/continue\?handoff=[\w-]{43}&lang=(fr|en)$/);
  const session = sessionCookieOf(res);
  const next = await getWithSession(t, res.headers.location as string, session);
  expect(next.headers.location).toBe('/home');
  const home = await getWithSession(t, '/home', session);
  expect(home.statusCode).toBe(200);
  return { res, session, home: home.body };
}

const labgateId = (page: string) => /data-testid="user-id">([0-9a-f-]{36})<\/code>/.exec(page)?.[1];

describe('an accepted LTI 1.1 launch', () => {
  it('lands on a page naming the learner, the course and the LMS, in French', async () => {
    const { home } = await launchAndOpenHome(formEncode(signedLaunch(t)));
    expect(home).toContain('<html lang="fr">');
    expect(home).toContain('Camille Durand');
    expect(home).toContain('apprenant·e');
    expect(home).toContain('Recherche reproductible');
    expect(home).toContain('data-testid="lms">FUN<');
  });

  it('speaks English when the LMS asks for it, and names a teacher as such', async () => {
    const params = learnerParams({
      launch_presentation_locale: 'en-GB',
      roles: 'Instructor',
      user_id: 't-1',
    });
    const { home } = await launchAndOpenHome(formEncode(signedLaunch(t, { params })));
    expect(home).toContain('<html lang="en">');
    expect(home).toMatch(/You are .*Camille Durand.*as .*teacher.*in the course/s);
  });

  it('sets a session cookie usable from an LMS iframe: HttpOnly, Secure, SameSite=None', async () => {
    const res = await postLaunch(t, formEncode(signedLaunch(t)));
    const cookie = res.cookies.find((c) => c.name === 'labgate_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'None', path: '/' });
  });

  it('finds the same user on a second launch, and keeps users of two LMSs apart', async () => {
    const first = await launchAndOpenHome(formEncode(signedLaunch(t)));
    const again = await launchAndOpenHome(formEncode(signedLaunch(t)));
    expect(labgateId(again.home)).toBe(labgateId(first.home));

    const other = await t.app.services.consumers.addConsumer({ name: 'Moodle', key: 'moodle-1' });
    const elsewhere = await launchAndOpenHome(
      formEncode(signedLaunch(t, { key: other.key, secret: other.secret })), // same user_id, other LMS
    );
    expect(labgateId(elsewhere.home)).not.toBe(labgateId(first.home));
  });

  it('refuses a launch of a disabled account, saying so in the learner’s language, and opens no session', async () => {
    const params = learnerParams({ user_id: 'to-disable' });
    const first = await launchAndOpenHome(formEncode(signedLaunch(t, { params })));
    await t.app.services.users.setDisabled(labgateId(first.home)!, true);
    const refused = await postLaunch(t, formEncode(signedLaunch(t, { params })), {
      headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Ce compte labgate est désactivé');
    expect(refused.cookies.find((c) => c.name === 'labgate_session')).toBeUndefined();
  });

  it('rotates the session at each launch: the old cookie stops working', async () => {
    const first = await launchAndOpenHome(formEncode(signedLaunch(t)));
    const res = await postLaunch(t, formEncode(signedLaunch(t)), {
      headers: { cookie: `labgate_session=${first.session}` },
    });
    const second = sessionCookieOf(res);
    expect(second).toBeDefined();
    expect(second).not.toBe(first.session);
    expect((await getWithSession(t, '/home', first.session)).statusCode).toBe(401);
    expect((await getWithSession(t, '/home', second)).statusCode).toBe(200);
  });

  it('accepts HMAC-SHA256', async () => {
    await launchAndOpenHome(formEncode(signedLaunch(t, { signatureMethod: 'HMAC-SHA256' })));
  });

  it('signs custom_x and custom_x2 in spec order, with \\r\\n, non-ASCII names and empty values', async () => {
    const params = [
      ...learnerParams(),
      ['custom_x', 'b'],
      ['custom_x2', 'a'],
      ['custom_é', 'ligne 1\r\nligne 2'],
      ['custom_empty', ''],
    ] as Array<[string, string]>;
    await launchAndOpenHome(formEncode(signedLaunch(t, { params })));
  });

  it('includes query parameters of the launch URL in the signature, and refuses unsigned ones', async () => {
    const signed = signedLaunch(t, { signedUrl: 'https://labgate.test/lti/launch?exercise=ex1' });
    expect((await postLaunch(t, formEncode(signed), { path: '/lti/launch?exercise=ex1' })).statusCode).toBe(
      303,
    );
    const again = signedLaunch(t);
    const res = await postLaunch(t, formEncode(again), { path: '/lti/launch?exercise=ex1' });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('LTI_BAD_SIGNATURE');
  });

  it('signs against PUBLIC_BASE_URL, never the Host or X-Forwarded headers', async () => {
    const spoofed = await postLaunch(t, formEncode(signedLaunch(t)), {
      headers: { host: 'internal:8080', 'x-forwarded-proto': 'https,http', 'x-forwarded-host': 'evil.test' },
    });
    expect(spoofed.statusCode).toBe(303);
    const signedForHost = signedLaunch(t, { signedUrl: 'http://internal:8080/lti/launch' });
    const res = await postLaunch(t, formEncode(signedForHost), { headers: { host: 'internal:8080' } });
    expect(res.statusCode).toBe(401);
  });

  it('offers "back to the course" only for a return URL on the LMS’s registered origin', async () => {
    const good = learnerParams({
      launch_presentation_return_url: 'https://lms.test/course/1?sesskey=s3cr3t',
    });
    const { home } = await launchAndOpenHome(formEncode(signedLaunch(t, { params: good })));
    expect(home).toContain('href="https://lms.test/course/1?sesskey=s3cr3t"');

    const evil = learnerParams({ launch_presentation_return_url: 'https://evil.test/phish' });
    const other = await launchAndOpenHome(formEncode(signedLaunch(t, { params: evil })));
    expect(other.home).not.toContain('evil.test');
  });

  it('escapes names and titles the LMS sends', async () => {
    const params = learnerParams({
      lis_person_name_full: '<script>alert(1)</script>',
      context_title: '<img src=x onerror=alert(2)>',
    });
    const { home } = await launchAndOpenHome(formEncode(signedLaunch(t, { params })));
    expect(home).not.toContain('<script>alert(1)');
    expect(home).not.toContain('<img src=x');
    expect(home).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('keeps the previous secret working during a rotation overlap, and only then', async () => {
    let now = Date.now();
    await t.close();
    t = await startTestApp({ now: () => now });
    const old = t.consumer.secret;
    const rotated = await t.app.services.consumers.rotateSecret(t.consumer.key, 3600);
    const at = () => Math.floor(now / 1000);
    expect(
      (await postLaunch(t, formEncode(signedLaunch(t, { secret: old, nowSeconds: at() })))).statusCode,
    ).toBe(303);
    expect(
      (await postLaunch(t, formEncode(signedLaunch(t, { secret: rotated.secret, nowSeconds: at() }))))
        .statusCode,
    ).toBe(303);
    now += 3601 * 1000;
    const late = await postLaunch(t, formEncode(signedLaunch(t, { secret: old, nowSeconds: at() })));
    expect(late.statusCode).toBe(401);
  });
});
