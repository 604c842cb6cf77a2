import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { PlatformRegistration } from '../lti/index.ts';
import { lti13Claims } from './lti13-claims.ts';
import type { SimulatedLaunch } from './lti11-launch.ts';

export const simulatorClientId = 'labgate-simulator';

/**
 * The simulator as an LTI 1.3 platform: its own RS256 key (new at each start; labgate refetches the
 * JWKS when it meets an unknown kid), its registration, and the id_tokens it mints.
 */
export async function createSimulatorPlatform(publicBaseUrl: URL) {
  const base = publicBaseUrl.href.replace(/\/$/, '');
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const registration: PlatformRegistration = {
    name: 'LMS simulator (demo)',
    issuer: `${base}/simulator`,
    clientId: simulatorClientId,
    authLoginUrl: `${base}/simulator/lti13/authorize`,
    jwksUrl: `${base}/simulator/lti13/jwks`,
    tokenUrl: undefined,
    deploymentIds: ['1'],
  };

  /** Third-party login initiation, as the LMS starts it; the persona rides in lti_message_hint. */
  function loginInitiationUrl(s: SimulatedLaunch): string {
    const url = new URL(`${base}/lti/1.3/login`);
    url.search = new URLSearchParams({
      iss: registration.issuer,
      client_id: simulatorClientId,
      lti_deployment_id: '1',
      login_hint: s.role,
      target_link_uri: `${base}/lti/1.3/launch`,
      lti_message_hint: Buffer.from(JSON.stringify(s)).toString('base64url'),
    }).toString();
    return url.href;
  }

  async function mintIdToken(s: SimulatedLaunch, o: { nonce: string; nowSeconds: number }): Promise<string> {
    return new SignJWT(lti13Claims(s, { base, deploymentId: '1', nonce: o.nonce }))
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(registration.issuer)
      .setAudience(simulatorClientId)
      .setIssuedAt(o.nowSeconds)
      .setExpirationTime(o.nowSeconds + 3600)
      .sign(privateKey);
  }

  return { registration, jwks: () => ({ keys: [publicJwk] }), loginInitiationUrl, mintIdToken };
}

export type SimulatorPlatform = Awaited<ReturnType<typeof createSimulatorPlatform>>;
