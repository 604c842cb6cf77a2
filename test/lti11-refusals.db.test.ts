import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { oauthSignature } from '../src/lti/index.ts';
import {
  formEncode,
  learnerParams,
  postLaunch,
  sessionCookieOf,
  signedLaunch,
  startTestApp,
  testBaseUrl,
  type TestApp,
} from './support/test-app.ts';

let t: TestApp;
let now: number;
beforeEach(async () => {
  now = Date.UTC(2026, 10, 23, 12, 0, 0);
  t = await startTestApp({ now: () => now });
});
afterEach(async () => t.close());

const nowSeconds = () => Math.floor(now / 1000);
const launch = (o: Parameters<typeof signedLaunch>[1] = {}) =>
  signedLaunch(t, { nowSeconds: nowSeconds(), ...o });

async function expectRefused(
  body: string | Buffer,
  status: number,
  code: string,
  headers?: Record<string, string>,
) {
  const res = await postLaunch(t, body, headers ? { headers } : {});
  expect(res.statusCode, res.body).toBe(status);
  expect(res.body).toContain(code);
  expect(res.headers['content-type']).toContain('text/html');
  expect(sessionCookieOf(res)).toBeUndefined();
  return res;
}

const userCount = async () =>
  (await t.db.selectFrom('users').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;

describe('refused LTI 1.1 launches', () => {
  it('refuses a forgery: wrong secret, or a parameter changed after signing', async () => {
    await expectRefused(formEncode(launch({ secret: 'guessed' })), 401, 'LTI_BAD_SIGNATURE');
    const tampered = launch().map(([k, v]): [string, string] => (k === 'roles' ? [k, 'Instructor'] : [k, v]));
    await expectRefused(formEncode(tampered), 401, 'LTI_BAD_SIGNATURE');
    expect(Number(await userCount())).toBe(0);
  });

  it('refuses a replay, even from another replica sharing the database', async () => {
    const body = formEncode(launch());
    expect((await postLaunch(t, body)).statusCode).toBe(303);
    await expectRefused(body, 401, 'LTI_REPLAYED');
    const replica = await buildApp(t.config, { db: t.db, now: () => now });
    try {
      const res = await replica.server.inject({
        method: 'POST',
        url: '/lti/launch',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      });
      expect(res.statusCode).toBe(401);
    } finally {
      await replica.close();
    }
  });

  it('explains a replay in French to a French browser', async () => {
    const body = formEncode(launch());
    await postLaunch(t, body);
    const res = await postLaunch(t, body, { headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' } });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('<html lang="fr">');
    expect(res.body).toContain('Ce lancement a déjà servi');
    expect(res.body).toContain('LTI_REPLAYED');
  });

  it('records the nonce only after the signature holds: a forgery cannot burn a real launch', async () => {
    await expectRefused(formEncode(launch({ secret: 'wrong', nonce: 'n-1' })), 401, 'LTI_BAD_SIGNATURE');
    expect((await postLaunch(t, formEncode(launch({ nonce: 'n-1' })))).statusCode).toBe(303);
  });

  it('refuses stale and future timestamps beyond ±300 s, showing the server time and the skew', async () => {
    const stale = await expectRefused(
      formEncode(launch({ nowSeconds: nowSeconds() - 301 })),
      401,
      'LTI_CLOCK_SKEW',
    );
    expect(stale.body).toContain('2026-11-23T12:00:00.000Z');
    expect(stale.body).toContain('-301');
    const future = await expectRefused(
      formEncode(launch({ nowSeconds: nowSeconds() + 301 })),
      401,
      'LTI_CLOCK_SKEW',
    );
    expect(future.body).toContain('in the future');
    expect((await postLaunch(t, formEncode(launch({ nowSeconds: nowSeconds() + 299 })))).statusCode).toBe(
      303,
    );
    expect((await postLaunch(t, formEncode(launch({ nowSeconds: nowSeconds() - 299 })))).statusCode).toBe(
      303,
    );
  });

  it('refuses unsigned launches and PLAINTEXT', async () => {
    const unsigned = launch().filter(([k]) => k !== 'oauth_signature');
    await expectRefused(formEncode(unsigned), 400, 'LTI_MISSING_PARAMETER');
    const plaintext = launch().map(([k, v]): [string, string] =>
      k === 'oauth_signature_method'
        ? [k, 'PLAINTEXT']
        : k === 'oauth_signature'
          ? [k, `${t.consumer.secret}&`]
          : [k, v],
    );
    const res = await expectRefused(formEncode(plaintext), 400, 'LTI_SIGNATURE_METHOD');
    expect(res.body).toContain('PLAINTEXT');
  });

  it('refuses an unknown consumer key', async () => {
    await expectRefused(formEncode(launch({ key: 'nobody' })), 401, 'LTI_UNKNOWN_CONSUMER');
  });

  it('refuses duplicated parameters, in the body or between query and body', async () => {
    const params = [...learnerParams(), ['user_id', 'someone-else']] as Array<[string, string]>;
    await expectRefused(formEncode(launch({ params })), 400, 'LTI_DUPLICATE_PARAMETER');
    const signed = signedLaunch(t, {
      nowSeconds: nowSeconds(),
      signedUrl: `${testBaseUrl}/lti/launch?user_id=x`,
    });
    const res = await postLaunch(t, formEncode(signed), { path: '/lti/launch?user_id=x' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('LTI_DUPLICATE_PARAMETER');
  });

  it('refuses an oversized launch (> 64 KiB) before reading it', async () => {
    const params = [...learnerParams(), ['custom_blob', 'x'.repeat(70_000)]] as Array<[string, string]>;
    await expectRefused(formEncode(launch({ params })), 413, 'WEB_TOO_LARGE');
  });

  it('refuses bytes and escapes that are not UTF-8, and broken escapes', async () => {
    const body = Buffer.concat([Buffer.from(formEncode(launch()) + '&custom_x='), Buffer.from([0xff, 0xfe])]);
    await expectRefused(body, 400, 'LTI_NOT_UTF8');
    await expectRefused(formEncode(launch()) + '&custom_x=%C3%28', 400, 'LTI_NOT_UTF8');
    await expectRefused(formEncode(launch()) + '&custom_x=%ZZ', 400, 'LTI_MALFORMED');
    const nul = await expectRefused(formEncode(launch({ key: 'bad\u0000key' })), 400, 'LTI_MALFORMED');
    expect(nul.body).toContain('NUL character');
  });

  it('refuses identifiers too long for a database key, and giant nonces', async () => {
    await expectRefused(
      formEncode(launch({ params: learnerParams({ user_id: 'u'.repeat(1001) }) })),
      400,
      'LTI_VALUE_TOO_LONG',
    );
    await expectRefused(
      formEncode(launch({ params: learnerParams({ context_id: 'c'.repeat(5000) }) })),
      400,
      'LTI_VALUE_TOO_LONG',
    );
    await expectRefused(formEncode(launch({ nonce: 'n'.repeat(3000) })), 400, 'LTI_VALUE_TOO_LONG');
  });

  it('refuses launches that are not HTML forms', async () => {
    const res = await postLaunch(t, JSON.stringify(Object.fromEntries(launch())), {
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.body).toContain('LTI_NOT_FORM');
  });

  it('refuses signed launches that LTI does not allow: missing user, other message types', async () => {
    await expectRefused(
      formEncode(launch({ params: learnerParams({ user_id: '' }) })),
      400,
      'LTI_MISSING_PARAMETER',
    );
    await expectRefused(
      formEncode(launch({ params: learnerParams({ lti_message_type: 'ContentItemSelectionRequest' }) })),
      400,
      'LTI_MESSAGE_TYPE',
    );
    await expectRefused(
      formEncode(launch({ params: learnerParams({ lti_version: 'LTI-2p0' }) })),
      400,
      'LTI_VERSION',
    );
  });

  it('refuses an oauth_version other than 1.0 and a non-numeric timestamp', async () => {
    const v2 = launch().map(([k, v]): [string, string] => (k === 'oauth_version' ? [k, '2.0'] : [k, v]));
    await expectRefused(formEncode(v2), 400, 'LTI_OAUTH_VERSION');
    const params: Array<[string, string]> = [
      ...learnerParams(),
      ['oauth_consumer_key', t.consumer.key],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', 'yesterday'],
      ['oauth_nonce', 'n'],
    ];
    const signature = oauthSignature({
      method: 'POST',
      url: `${testBaseUrl}/lti/launch`,
      params,
      consumerSecret: t.consumer.secret,
    });
    await expectRefused(formEncode([...params, ['oauth_signature', signature]]), 400, 'LTI_BAD_TIMESTAMP');
  });

  it('answers JSON to API clients that ask for it', async () => {
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/lti/launch',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: formEncode(launch({ secret: 'nope' })),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'LTI_BAD_SIGNATURE' } });
  });
});
