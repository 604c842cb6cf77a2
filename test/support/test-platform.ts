import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { TestApp } from './test-app.ts';
import { testBaseUrl } from './test-app.ts';

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
export const platformIssuer = 'https://lms.test';
export const platformClientId = 'client-1';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/**
 * An LTI 1.3 platform under the test's control: its JWKS is served on 127.0.0.1 (real HTTP, so
 * labgate's key fetching and caching run for real) and it mints whatever id_token a test needs.
 */
export async function startTestPlatform() {
  let current = await newKey();
  let fetches = 0;
  const server: Server = createServer((_req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [current.publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`;

  const register = (t: TestApp) =>
    t.app.services.platforms.registerPlatform({
      name: 'Test platform',
      issuer: platformIssuer,
      clientId: platformClientId,
      authLoginUrl: `${platformIssuer}/auth`,
      jwksUrl,
      tokenUrl: undefined,
      deploymentIds: ['dep-1'],
    });

  function claims(nonce: string, over: Record<string, unknown> = {}) {
    return {
      sub: 'sub-42',
      nonce,
      azp: platformClientId,
      name: 'Camille Durand',
      [`${lti}message_type`]: 'LtiResourceLinkRequest',
      [`${lti}version`]: '1.3.0',
      [`${lti}deployment_id`]: 'dep-1',
      [`${lti}target_link_uri`]: `${testBaseUrl}/lti/1.3/launch`,
      [`${lti}resource_link`]: { id: 'rl-1', title: 'Exercise 1' },
      [`${lti}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
      [`${lti}context`]: { id: 'ctx-1', label: 'RR101', title: 'Recherche reproductible' },
      [`${lti}tool_platform`]: { product_family_code: 'moodle', name: 'Moodle Inria' },
      [`${lti}launch_presentation`]: { locale: 'en' },
      ...over,
    };
  }

  async function sign(
    payload: Record<string, unknown>,
    o: { iat?: number; exp?: number; aud?: string | string[]; iss?: string; key?: SigningKey } = {},
  ) {
    const now = Math.floor(Date.now() / 1000);
    const key = o.key ?? current;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(o.iss ?? platformIssuer)
      .setAudience(o.aud ?? platformClientId)
      .setIssuedAt(o.iat ?? now)
      .setExpirationTime(o.exp ?? now + 300)
      .sign(key.privateKey);
  }

  return {
    jwksUrl,
    register,
    claims,
    sign,
    newKey,
    rotateKey: async () => {
      current = await newKey();
    },
    fetches: () => fetches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

/** Runs the OIDC login initiation like a browser coming from the LMS; returns what the launch needs. */
export async function beginLogin(t: TestApp, query: Record<string, string> = {}) {
  const res = await t.app.server.inject({
    method: 'GET',
    url: `/lti/1.3/login?${new URLSearchParams({
      iss: platformIssuer,
      client_id: platformClientId,
      login_hint: 'sub-42',
      target_link_uri: `${testBaseUrl}/lti/1.3/launch`,
      lti_deployment_id: 'dep-1',
      ...query,
    })}`,
  });
  if (res.statusCode !== 302) return { res, state: '', nonce: '', cookies: {} as Record<string, string> };
  const location = new URL(res.headers.location as string);
  const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
  return {
    res,
    location,
    state: location.searchParams.get('state')!,
    nonce: location.searchParams.get('nonce')!,
    cookies,
  };
}

export function postIdToken(
  t: TestApp,
  o: { idToken: string; state: string; cookies: Record<string, string> },
) {
  return t.app.server.inject({
    method: 'POST',
    url: '/lti/1.3/launch',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    cookies: o.cookies,
    payload: new URLSearchParams({ id_token: o.idToken, state: o.state }).toString(),
  });
}
