import { PassThrough } from 'node:stream';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJwksCache } from '../src/lti/index.ts';
import { autoPostedForm, formsOf } from './support/html-forms.ts';
import { getWithSession, sessionCookieOf, startTestApp, type TestApp } from './support/test-app.ts';
import {
  beginLogin,
  platformClientId,
  platformIssuer,
  postIdToken,
  startTestPlatform,
  type TestPlatform,
} from './support/test-platform.ts';

/** The picker's own forms (every page also has the account bar's Sign out form). */
const pickerForms = (body: string) => formsOf(body).filter((f) => !f.action.includes('/sign-out'));

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
const dl = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
const role = (name: string) => `http://purl.imsglobal.org/vocab/lis/v2/membership#${name}`;
// Moodle's return URL: its sesskey makes it a secret (and it holds characters HTML must escape).
const returnUrl = "https://lms.test/mod/lti/contentitem_return.php?course=7&id=3&sesskey=S3SSK3Y&n='x'";

let t: TestApp;
let platform: TestPlatform;
let logs: string;

async function start(o: { now?: () => number } = {}) {
  const stream = new PassThrough();
  logs = '';
  stream.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  t = await startTestApp({
    jwks: createJwksCache({ cooldownMs: 0 }),
    logStream: stream,
    env: { LOG_LEVEL: 'trace' },
    ...o,
  });
  await platform.register(t);
}

beforeEach(async () => {
  platform = await startTestPlatform();
});
afterEach(async () => {
  await t?.close();
  await platform.close();
});

/** A deep-linking request as Moodle sends it, from an instructor unless `over` says otherwise. */
function deepLinkingClaims(
  nonce: string,
  o: { over?: Record<string, unknown>; settings?: Record<string, unknown> } = {},
) {
  return platform.claims(nonce, {
    sub: 'teacher-7',
    name: 'Bernard Dupont',
    [`${lti}message_type`]: 'LtiDeepLinkingRequest',
    [`${lti}resource_link`]: undefined,
    [`${lti}roles`]: [role('Instructor')],
    [`${dl}deep_linking_settings`]: {
      deep_link_return_url: returnUrl,
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['frame', 'iframe', 'window'],
      accept_multiple: true,
      auto_create: false,
      data: 'opaque-state-7',
      ...o.settings,
    },
    ...o.over,
  });
}

async function deepLink(o: Parameters<typeof deepLinkingClaims>[1] = {}) {
  const login = await beginLogin(t, { login_hint: 'teacher-7' });
  const idToken = await platform.sign(deepLinkingClaims(login.nonce, o));
  return postIdToken(t, { idToken, state: login.state, cookies: login.cookies });
}

async function addAssignments() {
  const course = await t.app.services.courses.ensureCourse({
    lms: `lti13:${platformIssuer}`,
    contextId: 'ctx-1',
    title: 'Recherche reproductible',
  });
  for (const [slug, title] of [
    ['ex1', 'Exercice 1 — premiers pas'],
    ['ex2', 'Exercice <2>'],
  ] as const)
    await t.app.services.assignments.addAssignment({
      courseId: course.id,
      slug,
      title,
      template: `t/${slug}`,
    });
  return course;
}

/** The teacher's way through: the picker, then the exercise's button. */
async function pick(picker: string, session: string | undefined, slug: string, csrf?: string) {
  const page = await getWithSession(t, picker, session);
  const form = formsOf(page.body).find((f) => f.fields.get('assignment') === slug);
  return t.app.server.inject({
    method: 'POST',
    url: form?.action ?? picker,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    cookies: session ? { labgate_session: session } : {},
    payload: new URLSearchParams({
      _csrf: csrf ?? form?.fields.get('_csrf') ?? '',
      assignment: slug,
    }).toString(),
  });
}

const expectRefused = (res: { statusCode: number; body: string }, status: number, code: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.body).toContain(code);
};

describe('an LTI 1.3 deep-linking request', () => {
  it('signs the teacher in, shows the course’s exercises, and answers the LMS with a signed link', async () => {
    await start();
    await addAssignments();
    const launch = await deepLink();
    expect(launch.statusCode, launch.body).toBe(303);
    const picker = launch.headers.location as string;
    expect(picker).toMatch(/^\/lti\/1\.3\/deep-linking\/[\w-]{43}\?lang=en$/);
    expect(picker).not.toContain('lms.test');
    const session = sessionCookieOf(launch);

    const page = await getWithSession(t, picker, session);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Recherche reproductible');
    expect(page.body).toContain('Exercice &lt;2&gt;');
    expect(page.body).not.toContain('S3SSK3Y');
    const forms = pickerForms(page.body);
    expect(forms.map((f) => f.fields.get('assignment'))).toEqual(['ex1', 'ex2']);
    expect(forms.every((f) => f.fields.get('_csrf') && f.method === 'post')).toBe(true);
    expect(page.body).toMatch(/href="\/courses\/[\w-]+\?lang=en#publish"[^>]*data-testid="create-exercise"/);

    const answer = await pick(picker, session, 'ex1');
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    const back = autoPostedForm(answer.body)!;
    expect(back.action).toBe(returnUrl);
    expect(back.markup).toContain('&amp;sesskey=S3SSK3Y&amp;n=&#39;x&#39;');
    expect([...back.fields.keys()]).toEqual(['JWT']);
    expect(answer.body).toMatch(/<noscript>\s*<button[^>]*type="submit"/);

    const jwt = back.fields.get('JWT')!;
    const jwks = (await t.app.server.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as {
      keys: JWK[];
    };
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      algorithms: ['RS256'],
      issuer: platformClientId,
      audience: platformIssuer,
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]!.kid });
    expect(Number.isInteger(payload.iat) && Number.isInteger(payload.exp)).toBe(true);
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(30);
    expect(payload).toEqual({
      iss: platformClientId,
      aud: platformIssuer,
      iat: payload.iat,
      exp: payload.exp,
      nonce: expect.stringMatching(/^[\w-]{32}$/),
      [`${lti}message_type`]: 'LtiDeepLinkingResponse',
      [`${lti}version`]: '1.3.0',
      [`${lti}deployment_id`]: 'dep-1',
      [`${dl}data`]: 'opaque-state-7',
      [`${dl}content_items`]: [
        {
          type: 'ltiResourceLink',
          title: 'Exercice 1 — premiers pas',
          custom: { assignment: 'ex1' },
          window: { targetName: '_blank' },
          lineItem: {
            scoreMaximum: 100,
            label: 'Exercice 1 — premiers pas',
            resourceId: 'ex1',
            tag: 'labgate',
          },
        },
      ],
    });

    // Used up: the same pick again is refused, and so is the picker.
    const csrf = forms[0]!.fields.get('_csrf')!;
    expectRefused(await pick(picker, session, 'ex1', csrf), 404, 'LTI13_DEEP_LINKING_REQUEST');
    expectRefused(await getWithSession(t, picker, session), 404, 'LTI13_DEEP_LINKING_REQUEST');
  });

  it('enrols the teacher as a launch does, and the course page says what to paste by hand', async () => {
    await start();
    const launch = await deepLink({ over: { [`${lti}roles`]: [role('ContentDeveloper')] } });
    expect(launch.statusCode, launch.body).toBe(303);
    const session = sessionCookieOf(launch);
    const course = (await t.app.services.courses.listCourses())[0]!;
    expect(course).toMatchObject({ lms: `lti13:${platformIssuer}`, contextId: 'ctx-1' });
    const user = await t.db
      .selectFrom('user_identities')
      .select('user_id')
      .where('subject', '=', 'teacher-7')
      .executeTakeFirstOrThrow();
    expect(await t.app.services.courses.findRole(course.id, user.user_id)).toBe('teacher');

    const empty = await getWithSession(
      t,
      `${launch.headers.location as string}`.replace('lang=en', 'lang=fr'),
      session,
    );
    expect(empty.body).toContain('Ce cours n’a pas encore d’exercice.');
    expect(empty.body).toContain('Créer un nouvel exercice');

    await addAssignments();
    const picker = await getWithSession(t, launch.headers.location as string, session);
    expect(pickerForms(picker.body)).toHaveLength(2);
    const page = await getWithSession(t, `/courses/${course.id}?lang=en`, session);
    expect(page.statusCode, page.body).toBe(200);
    const row = /<tr data-assignment="ex1">[\s\S]*?<\/tr>/.exec(page.body)![0];
    expect(row).toContain('<code data-testid="lti11-url">https://labgate.test/lti/launch</code>');
    expect(row).toContain('<code data-testid="lti13-url">https://labgate.test/lti/1.3/launch</code>');
    expect(row).toContain('<code data-testid="custom-parameter">assignment=ex1</code>');
  });

  it('answers in an iframe when the LMS does not accept a new window, and sends no data it did not get', async () => {
    await start();
    await addAssignments();
    const launch = await deepLink({
      settings: { accept_presentation_document_targets: ['iframe'], data: undefined },
    });
    const answer = await pick(launch.headers.location as string, sessionCookieOf(launch), 'ex2');
    const jwt = autoPostedForm(answer.body)!.fields.get('JWT')!;
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(decodeProtectedHeader(jwt).alg).toBe('RS256');
    expect(payload[`${dl}data`]).toBeUndefined();
    expect(payload[`${dl}content_items`]).toEqual([
      expect.objectContaining({ title: 'Exercice <2>', iframe: {}, custom: { assignment: 'ex2' } }),
    ]);
    expect((payload[`${dl}content_items`] as object[])[0]).not.toHaveProperty('window');
    expect((payload[`${dl}content_items`] as object[])[0]).not.toHaveProperty('url');
  });

  it.each([
    ['a learner', { over: { [`${lti}roles`]: [role('Learner')] } }, 403, 'LTI13_DEEP_LINKING_ROLE'],
    [
      'a teaching assistant',
      {
        over: {
          [`${lti}roles`]: [`http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant`],
        },
      },
      403,
      'LTI13_DEEP_LINKING_ROLE',
    ],
    [
      'accept_types without ltiResourceLink',
      { settings: { accept_types: ['link', 'html'] } },
      400,
      'LTI13_DEEP_LINKING_TYPES',
    ],
    [
      'a return URL in clear text',
      { settings: { deep_link_return_url: 'http://lms.test/return?sesskey=S3SSK3Y' } },
      400,
      'LTI13_DEEP_LINKING',
    ],
    [
      'a return URL that is no URL',
      { settings: { deep_link_return_url: 'javascript:alert(1)' } },
      400,
      'LTI13_DEEP_LINKING',
    ],
    ['no settings claim', { over: { [`${dl}deep_linking_settings`]: undefined } }, 400, 'LTI13_DEEP_LINKING'],
    ['no course (context claim)', { over: { [`${lti}context`]: undefined } }, 400, 'LTI13_DEEP_LINKING'],
  ])('refuses %s before anyone is signed in', async (_name, o, status, code) => {
    await start();
    const res = await deepLink(o);
    expectRefused(res, status, code);
    expect(sessionCookieOf(res)).toBeUndefined();
    expect(res.body).not.toContain('S3SSK3Y');
    expect(await t.db.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('keeps the picker to the session that received the request', async () => {
    await start();
    await addAssignments();
    const mine = await deepLink();
    const picker = mine.headers.location as string;
    const other = await deepLink();
    const theirs = sessionCookieOf(other);
    const theirCsrf = formsOf(
      (await getWithSession(t, other.headers.location as string, theirs)).body,
    )[0]!.fields.get('_csrf')!;
    expectRefused(await getWithSession(t, picker, theirs), 404, 'LTI13_DEEP_LINKING_REQUEST');
    expectRefused(await pick(picker, theirs, 'ex1', theirCsrf), 404, 'LTI13_DEEP_LINKING_REQUEST');
    expectRefused(await getWithSession(t, picker, undefined), 401, 'WEB_NO_SESSION');
    expectRefused(
      await getWithSession(t, '/lti/1.3/deep-linking/never-made', sessionCookieOf(mine)),
      404,
      'LTI13_DEEP_LINKING_REQUEST',
    );
    // The right session, but a form without its token, or naming no exercise of the course.
    expectRefused(await pick(picker, sessionCookieOf(mine), 'ex1', 'forged'), 403, 'WEB_CSRF');
    const page = await getWithSession(t, picker, sessionCookieOf(mine));
    const csrf = formsOf(page.body)[0]!.fields.get('_csrf')!;
    expectRefused(await pick(picker, sessionCookieOf(mine), 'nope', csrf), 404, 'WEB_NO_ASSIGNMENT');
    expect((await pick(picker, sessionCookieOf(mine), 'ex1')).statusCode).toBe(200);
  });

  it('stays usable for an hour (time to publish an exercise), not longer', async () => {
    let clock = Date.now();
    await start({ now: () => clock });
    await addAssignments();
    const launch = await deepLink();
    const picker = launch.headers.location as string;
    const session = sessionCookieOf(launch);
    clock += 59 * 60_000;
    const later = await getWithSession(t, picker, session);
    expect(later.statusCode).toBe(200);
    const csrf = formsOf(later.body)[0]!.fields.get('_csrf')!;
    clock += 60_001;
    expectRefused(await getWithSession(t, picker, session), 404, 'LTI13_DEEP_LINKING_REQUEST');
    expectRefused(await pick(picker, session, 'ex1', csrf), 404, 'LTI13_DEEP_LINKING_REQUEST');
  });

  it('never writes the return URL (Moodle’s sesskey) to the logs', async () => {
    await start();
    await addAssignments();
    const launch = await deepLink();
    const answer = await pick(launch.headers.location as string, sessionCookieOf(launch), 'ex1');
    expect(answer.body).toContain('S3SSK3Y');
    await deepLink({ settings: { accept_types: ['html'] } });
    await deepLink({ settings: { deep_link_return_url: 'http://lms.test/return?sesskey=S3SSK3Y' } });
    expect(logs).toContain('LTI 1.3 deep-linking request accepted');
    expect(logs).toContain('LTI 1.3 deep link answered');
    expect(logs).toContain('LTI13_DEEP_LINKING_TYPES');
    for (const secret of ['S3SSK3Y', 'contentitem_return', 'opaque-state-7'])
      expect(logs).not.toContain(secret);
  });
});
