import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { JwksCache } from '../../src/lti/index.ts';
import { signLti11Launch } from '../../src/simulator/index.ts';
import { openTestDatabase } from './test-database.ts';

export const testBaseUrl = 'https://labgate.test';

/** A real labgate on a fresh database (SQLite or PostgreSQL, by project), with one registered LMS. */
export async function startTestApp(
  o: {
    now?: () => number;
    env?: Record<string, string>;
    logStream?: NodeJS.WritableStream;
    jwks?: JwksCache;
  } = {},
) {
  const database = await openTestDatabase();
  const config = loadConfig('demo', {
    PUBLIC_BASE_URL: testBaseUrl,
    SIMULATOR: 'on',
    LOG_LEVEL: 'silent',
    EMBEDDED_FORGE: 'off',
    ...o.env,
  });
  const app = await buildApp(config, {
    db: database.db,
    ...(o.now ? { now: o.now } : {}),
    ...(o.logStream ? { logStream: o.logStream } : {}),
    ...(o.jwks ? { jwks: o.jwks } : {}),
  });
  const consumer = await app.services.consumers.addConsumer({
    name: 'Test LMS',
    key: 'test-lms',
    allowedOrigin: 'https://lms.test',
  });
  return {
    app,
    config,
    db: database.db,
    consumer,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

export const learnerParams = (over: Record<string, string> = {}): Array<[string, string]> =>
  Object.entries({
    lti_message_type: 'basic-lti-launch-request',
    lti_version: 'LTI-1p0',
    user_id: 'learner-42',
    roles: 'Learner',
    resource_link_id: 'rl-1',
    context_id: 'course-v1:Inria+RR101+2026',
    context_title: 'Recherche reproductible',
    lis_person_name_full: 'Camille Durand',
    launch_presentation_locale: 'fr',
    tool_consumer_info_product_family_code: 'FUN',
    ...over,
  });

export const formEncode = (pairs: Array<[string, string]>) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

/** A launch signed as the test LMS would sign it, ready to post. */
export function signedLaunch(
  t: TestApp,
  o: {
    params?: Array<[string, string]>;
    secret?: string;
    key?: string;
    nowSeconds?: number;
    signedUrl?: string;
    signatureMethod?: 'HMAC-SHA1' | 'HMAC-SHA256';
    nonce?: string;
  } = {},
): Array<[string, string]> {
  return signLti11Launch({
    launchUrl: o.signedUrl ?? `${testBaseUrl}/lti/launch`,
    consumerKey: o.key ?? t.consumer.key,
    secret: o.secret ?? t.consumer.secret,
    params: o.params ?? learnerParams(),
    nowSeconds: o.nowSeconds ?? Math.floor(Date.now() / 1000),
    ...(o.signatureMethod ? { signatureMethod: o.signatureMethod } : {}),
    ...(o.nonce ? { nonce: o.nonce } : {}),
  });
}

export function postLaunch(
  t: TestApp,
  body: string | Buffer,
  o: { path?: string; headers?: Record<string, string> } = {},
) {
  return t.app.server.inject({
    method: 'POST',
    url: o.path ?? '/lti/launch',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...o.headers },
    payload: body,
  });
}

export const sessionCookieOf = (res: { cookies: Array<{ name: string; value: string }> }) =>
  res.cookies.find((c) => c.name === 'labgate_session')?.value;

/** GET a page with a session cookie, as the browser would after the launch redirect. */
export const getWithSession = (t: TestApp, url: string, session: string | undefined) =>
  t.app.server.inject({ method: 'GET', url, cookies: session ? { labgate_session: session } : {} });
