import { createServer } from 'node:http';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJwksCache } from '../src/lti/index.ts';
import { getWithSession, sessionCookieOf, startTestApp, type TestApp } from './support/test-app.ts';
import {
  beginLogin,
  platformClientId,
  platformIssuer,
  postIdToken,
  startTestPlatform,
  type TestPlatform,
} from './support/test-platform.ts';

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
let t: TestApp;
let platform: TestPlatform;

beforeEach(async () => {
  t = await startTestApp({ jwks: createJwksCache({ cooldownMs: 0 }) });
  platform = await startTestPlatform();
  await platform.register(t);
});
afterEach(async () => {
  await t.close();
  await platform.close();
});

async function launchWith(
  makeToken: (nonce: string) => Promise<string>,
  o: { cookies?: (c: Record<string, string>) => Record<string, string> } = {},
) {
  const login = await beginLogin(t);
  expect(login.res.statusCode).toBe(302);
  const idToken = await makeToken(login.nonce);
  return postIdToken(t, { idToken, state: login.state, cookies: (o.cookies ?? ((c) => c))(login.cookies) });
}

async function expectRefused(res: { statusCode: number; body: string }, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.body).toContain(code);
}

describe('LTI 1.3 login initiation', () => {
  it('redirects to the platform with state, nonce and the registered redirect URI', async () => {
    const { location, state, nonce, cookies } = await beginLogin(t, { lti_message_hint: 'hint-7' });
    expect(location!.origin + location!.pathname).toBe('https://lms.test/auth');
    expect(Object.fromEntries(location!.searchParams)).toMatchObject({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: platformClientId,
      redirect_uri: 'https://labgate.test/lti/1.3/launch',
      login_hint: 'sub-42',
      lti_message_hint: 'hint-7',
    });
    expect(state).toMatch(/^[\w-]{43}$/);
    expect(nonce).toMatch(/^[\w-]{43}$/);
    expect(Object.keys(cookies)).toEqual([`labgate_lti13_${state.slice(0, 16)}`]);
  });

  it('refuses an unknown issuer, a foreign target and an unregistered deployment', async () => {
    await expectRefused(
      (await beginLogin(t, { iss: 'https://other.test' })).res,
      400,
      'LTI13_UNKNOWN_PLATFORM',
    );
    await expectRefused(
      (await beginLogin(t, { target_link_uri: 'https://evil.test/x' })).res,
      400,
      'LTI13_TARGET_LINK',
    );
    await expectRefused((await beginLogin(t, { lti_deployment_id: 'dep-9' })).res, 400, 'LTI13_DEPLOYMENT');
    await expectRefused((await beginLogin(t, { login_hint: '' })).res, 400, 'LTI13_MISSING_PARAMETER');
    await expectRefused((await beginLogin(t, { iss: 'https://lms.test\u0000' })).res, 400, 'LTI13_CLAIM');
  });

  it('accepts a POSTed login, and no client_id when the issuer has a single registration', async () => {
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/lti/1.3/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        iss: platformIssuer,
        login_hint: 'sub-42',
        target_link_uri: 'https://labgate.test/lti/1.3/launch',
      }).toString(),
    });
    expect(res.statusCode, res.body).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(location.searchParams.get('client_id')).toBe(platformClientId);
    expect(location.searchParams.has('lti_message_hint')).toBe(false);
    expect(res.cookies[0]).toMatchObject({ httpOnly: true, secure: true, sameSite: 'None', maxAge: 600 });
  });

  it('asks for the client_id when the issuer has several registrations', async () => {
    await t.app.services.platforms.registerPlatform({
      name: 'Second tool registration',
      issuer: platformIssuer,
      clientId: 'client-2',
      authLoginUrl: `${platformIssuer}/auth`,
      jwksUrl: platform.jwksUrl,
      tokenUrl: undefined,
      deploymentIds: ['dep-1'],
    });
    const noClient = await t.app.server.inject({
      method: 'GET',
      url: `/lti/1.3/login?${new URLSearchParams({
        iss: platformIssuer,
        login_hint: 'sub-42',
        target_link_uri: 'https://labgate.test/lti/1.3/launch',
      })}`,
    });
    await expectRefused(noClient, 400, 'LTI13_UNKNOWN_PLATFORM');
    expect((await beginLogin(t, { client_id: 'client-2' })).res.statusCode).toBe(302);
  });

  it('answers a GET on the launch URL with 405', async () => {
    const res = await t.app.server.inject({
      method: 'GET',
      url: '/lti/1.3/launch',
      headers: { accept: 'text/html' },
    });
    expect(res.statusCode).toBe(405);
  });
});

describe('an LTI 1.3 launch', () => {
  it('lands on the home page naming the person, role, course and LMS', async () => {
    const res = await launchWith((nonce) => platform.sign(platform.claims(nonce)));
    expect(res.statusCode, res.body).toBe(303);
    const session = sessionCookieOf(res);
    const next = await getWithSession(t, res.headers.location as string, session);
    const home = await getWithSession(t, next.headers.location as string, session);
    expect(home.body).toMatch(/Camille Durand.*learner.*Recherche reproductible.*Moodle Inria/s);
  });

  it('accepts an instructor as teacher and an iat up to 60 s in the future', async () => {
    const res = await launchWith((nonce) =>
      platform.sign(
        platform.claims(nonce, {
          [`${lti}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
        }),
        { iat: Math.floor(Date.now() / 1000) + 50 },
      ),
    );
    expect(res.statusCode, res.body).toBe(303);
  });

  it('refuses a state with a NUL character before touching the database', async () => {
    const res = await postIdToken(t, { idToken: 'x.y.z', state: 'st\u0000ate', cookies: {} });
    await expectRefused(res, 400, 'LTI13_CLAIM');
  });

  it('uses the state once: a replayed post is refused', async () => {
    const login = await beginLogin(t);
    const idToken = await platform.sign(platform.claims(login.nonce));
    expect((await postIdToken(t, { idToken, state: login.state, cookies: login.cookies })).statusCode).toBe(
      303,
    );
    await expectRefused(
      await postIdToken(t, { idToken, state: login.state, cookies: login.cookies }),
      401,
      'LTI13_STATE',
    );
  });

  it('refuses a launch that returns to another browser (missing or wrong binding cookie)', async () => {
    const sign = (nonce: string) => platform.sign(platform.claims(nonce));
    await expectRefused(await launchWith(sign, { cookies: () => ({}) }), 401, 'LTI13_BROWSER');
    const wrong = (c: Record<string, string>) => Object.fromEntries(Object.keys(c).map((k) => [k, 'forged']));
    await expectRefused(await launchWith(sign, { cookies: wrong }), 401, 'LTI13_BROWSER');
  });

  it('refuses tampered tokens and tokens signed by a key the platform does not publish', async () => {
    const tampered = await launchWith(async (nonce) => {
      const [h, p, s] = (await platform.sign(platform.claims(nonce))).split('.');
      const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
      payload.sub = 'someone-else';
      return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
    });
    await expectRefused(tampered, 401, 'LTI13_TOKEN');
    const stranger = await platform.newKey();
    await expectRefused(
      await launchWith((n) => platform.sign(platform.claims(n), { key: stranger })),
      401,
      'LTI13_TOKEN',
    );
  });

  it('refuses HS256 and unsigned (alg none) tokens', async () => {
    const hs = await launchWith((nonce) =>
      new SignJWT(platform.claims(nonce))
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('https://lms.test')
        .setAudience(platformClientId)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!')),
    );
    await expectRefused(hs, 401, 'LTI13_ALGORITHM');
    expect(hs.body).toContain('HS256');
    const none = await launchWith(async (nonce) =>
      new UnsecuredJWT(platform.claims(nonce))
        .setIssuer('https://lms.test')
        .setAudience(platformClientId)
        .setIssuedAt()
        .encode(),
    );
    await expectRefused(none, 401, 'LTI13_ALGORITHM');
    expect(none.body).toContain('no signature');
  });

  it('refuses expired tokens and an iat more than 60 s in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(
      await launchWith((n) => platform.sign(platform.claims(n), { iat: now - 400, exp: now - 120 })),
      401,
      'LTI13_TOKEN_TIME',
    );
    await expectRefused(
      await launchWith((n) => platform.sign(platform.claims(n), { iat: now + 120, exp: now + 600 })),
      401,
      'LTI13_TOKEN_TIME',
    );
  });

  it('refuses a token issued more than 10 minutes ago, even when it has not expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await launchWith((n) =>
      platform.sign(platform.claims(n), { iat: now - 700, exp: now + 300 }),
    );
    await expectRefused(res, 401, 'LTI13_TOKEN_TIME');
    expect(res.body).toContain('more than 10 minutes ago');
  });

  it('refuses a launch whose login started more than 10 minutes ago, on labgate’s clock', async () => {
    let clock = Date.now();
    const slow = await startTestApp({ now: () => clock, jwks: createJwksCache({ cooldownMs: 0 }) });
    try {
      await platform.register(slow);
      const login = await beginLogin(slow);
      const idToken = await platform.sign(platform.claims(login.nonce));
      clock += 10 * 60_000 + 1;
      await expectRefused(
        await postIdToken(slow, { idToken, state: login.state, cookies: login.cookies }),
        401,
        'LTI13_STATE',
      );
    } finally {
      await slow.close();
    }
  });

  it('refuses a post without id_token or state with a 400', async () => {
    const login = await beginLogin(t);
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/lti/1.3/launch',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      cookies: login.cookies,
      payload: new URLSearchParams({ state: login.state }).toString(),
    });
    await expectRefused(res, 400, 'LTI13_MISSING_PARAMETER');
    expect(res.json()).toMatchObject({ error: { message: expect.stringContaining('"id_token"') } });
    const empty = await t.app.server.inject({ method: 'POST', url: '/lti/1.3/launch' });
    await expectRefused(empty, 400, 'LTI13_MISSING_PARAMETER');
  });

  it('checks audience and azp', async () => {
    await expectRefused(
      await launchWith((n) => platform.sign(platform.claims(n), { aud: 'other' })),
      401,
      'LTI13_TOKEN',
    );
    const noAzp = (n: string) => {
      const c: Record<string, unknown> = platform.claims(n);
      delete c.azp;
      return platform.sign(c, { aud: [platformClientId, 'other'] });
    };
    await expectRefused(await launchWith(noAzp), 400, 'LTI13_CLAIM');
    await expectRefused(
      await launchWith((n) =>
        platform.sign(platform.claims(n, { azp: 'other' }), { aud: [platformClientId, 'other'] }),
      ),
      400,
      'LTI13_CLAIM',
    );
  });

  it.each([
    ['a wrong nonce', { nonce: 'not-the-one' }, 'LTI13_CLAIM'],
    ['an unregistered deployment', { [`${lti}deployment_id`]: 'dep-9' }, 'LTI13_DEPLOYMENT'],
    ['another LTI version', { [`${lti}version`]: '1.1.0' }, 'LTI13_CLAIM'],
    [
      'a deep-linking request without its settings',
      { [`${lti}message_type`]: 'LtiDeepLinkingRequest' },
      'LTI13_DEEP_LINKING',
    ],
    ['no resource link', { [`${lti}resource_link`]: undefined }, 'LTI13_CLAIM'],
    ['another target link', { [`${lti}target_link_uri`]: 'https://labgate.test/other' }, 'LTI13_CLAIM'],
    ['no roles claim', { [`${lti}roles`]: undefined }, 'LTI13_CLAIM'],
    ['a subject too long for a database key', { sub: 's'.repeat(1001) }, 'LTI13_CLAIM'],
    ['a NUL character in a claim', { sub: 'sub\u000042' }, 'LTI13_CLAIM'],
  ])('refuses %s', async (_name, over, code) => {
    const res = await launchWith((n) => platform.sign({ ...platform.claims(n), ...over }));
    await expectRefused(res, 400, code);
  });

  it('refetches the platform keys when it rotates them (unknown kid)', async () => {
    expect((await launchWith((n) => platform.sign(platform.claims(n)))).statusCode).toBe(303);
    const before = platform.fetches();
    await platform.rotateKey();
    expect((await launchWith((n) => platform.sign(platform.claims(n)))).statusCode).toBe(303);
    expect(platform.fetches()).toBe(before + 1);
    expect((await launchWith((n) => platform.sign(platform.claims(n)))).statusCode).toBe(303);
    expect(platform.fetches()).toBe(before + 1); // cached now
  });

  it('reports an unreachable JWKS as such, without a 500', async () => {
    await platform.close();
    const res = await launchWith((n) => platform.sign(platform.claims(n)));
    await expectRefused(res, 502, 'LTI13_JWKS_UNREACHABLE');
    expect(res.body).toContain(platform.jwksUrl);
  });

  it.each([
    ['answers 500', 500, 'text/plain', 'oops', 'Expected 200 OK'],
    ['answers HTML', 200, 'text/html', '<html>login</html>', 'as JSON'],
    ['serves no key set', 200, 'application/json', '{"keys":"none"}', 'JSON Web Key Set malformed'],
  ])('reports a JWKS URL that %s as a 502 naming it', async (_name, status, type, body, why) => {
    const broken = createServer((_req, res) => res.writeHead(status, { 'content-type': type }).end(body));
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(broken.address() as { port: number }).port}/keys`;
    try {
      await t.app.services.platforms.registerPlatform({
        name: 'Broken LMS',
        issuer: 'https://broken.test',
        clientId: platformClientId,
        authLoginUrl: 'https://broken.test/auth',
        jwksUrl,
        tokenUrl: undefined,
        deploymentIds: ['dep-1'],
      });
      const login = await beginLogin(t, { iss: 'https://broken.test' });
      const idToken = await platform.sign(platform.claims(login.nonce), { iss: 'https://broken.test' });
      const res = await postIdToken(t, { idToken, state: login.state, cookies: login.cookies });
      await expectRefused(res, 502, 'LTI13_JWKS_UNREACHABLE');
      expect(res.body).toContain(jwksUrl);
      expect(res.body).toContain(why);
    } finally {
      await new Promise((resolve) => broken.close(resolve));
    }
  });
});

describe('labgate’s own JWKS', () => {
  it('publishes one RS256 public key and no private part', async () => {
    const res = await t.app.server.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    const { keys } = res.json() as { keys: Array<Record<string, string>> };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys[0]!.kid).toBeTruthy();
    expect(keys[0]!.d).toBeUndefined();
  });

  it('publishes a key that verifies what labgate signs with its private half', async () => {
    const res = await t.app.server.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    const published = res.json() as { keys: JWK[] };
    const row = await t.db.selectFrom('tool_keys').select(['kid', 'private_jwk']).executeTakeFirstOrThrow();
    const privateKey = await importJWK(JSON.parse(row.private_jwk) as JWK, 'RS256');
    const token = await new SignJWT({ probe: 1 })
      .setProtectedHeader({ alg: 'RS256', kid: row.kid })
      .sign(privateKey);
    const { payload } = await jwtVerify(token, createLocalJWKSet(published), { algorithms: ['RS256'] });
    expect(payload.probe).toBe(1);
  });

  it('makes its key once: starting again keeps it', async () => {
    const before = (await t.app.server.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    await t.app.services.toolKeys.ensureToolKey();
    const after = (await t.app.server.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(after).toEqual(before);
  });
});
