import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { PlatformRegistration } from '../lti/index.ts';
import { createAgsService } from './ags-platform.ts';
import { createGradebook, type Gradebook } from './gradebook.ts';
import {
  launchedContext,
  launchedLink,
  lti13Claims,
  lti13Subject,
  type AgsEndpoint,
  type LaunchedLink,
} from './lti13-claims.ts';
import { lti13DeepLinkingClaims } from './lti13-deep-linking.ts';
import { createDeepLinkingReturnCheck, type VerifiedContentItem } from './lti13-deep-linking-return.ts';
import { createSimulatorLinks, type SimulatorLink } from './lti13-links.ts';
import type { SimulatedLaunch } from './lti11-launch.ts';
import { personas } from './personas.ts';
import { agsScopes, createTokenEndpoint } from './token-endpoint.ts';

export const simulatorClientId = 'labgate-simulator';
export const simulatorDeploymentId = '1';

/** What the LMS starts a login for: the demo activity, a deep-linking request, or a link it made. */
export type HintedMessage = { type: 'launch' } | { type: 'deep-linking' } | { type: 'link'; linkId: string };

/** The message the LMS then mints, with what the authorization step resolved. */
export type MintedMessage =
  | { type: 'launch' }
  | { type: 'deep-linking'; returnUrl: string; data: string }
  | { type: 'link'; link: LaunchedLink };

/**
 * The simulator as an LTI 1.3 platform: its own RS256 key (new at each start; labgate refetches the
 * JWKS when it meets an unknown kid), its registration, the id_tokens it mints, the links deep
 * linking made, and its grade services (token endpoint, AGS) writing to the gradebook, all in memory.
 */
export async function createSimulatorPlatform(
  publicBaseUrl: URL,
  now: () => number = Date.now,
  gradebook: Gradebook = createGradebook(publicBaseUrl, now),
) {
  const base = publicBaseUrl.href.replace(/\/$/, '');
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const hintKey = randomBytes(32);
  const registration: PlatformRegistration = {
    name: 'LMS simulator (demo)',
    issuer: `${base}/simulator`,
    clientId: simulatorClientId,
    authLoginUrl: `${base}/simulator/lti13/authorize`,
    jwksUrl: `${base}/simulator/lti13/jwks`,
    tokenUrl: `${base}/simulator/lti13/token`,
    deploymentIds: [simulatorDeploymentId],
  };

  const mac = (data: string) => createHmac('sha256', hintKey).update(data).digest('base64url');

  /** The persona rides in lti_message_hint, signed, so the authorization step gets back what it sent. */
  function messageHint(s: SimulatedLaunch, message: HintedMessage): string {
    const data = Buffer.from(JSON.stringify({ ...s, message })).toString('base64url');
    return `${data}.${mac(data)}`;
  }

  /** The persona in a hint this simulator issued (still to be parsed), or undefined. */
  function readMessageHint(hint: string): unknown {
    const [data = '', tag = ''] = hint.split('.');
    const expected = Buffer.from(mac(data));
    if (Buffer.byteLength(tag) !== expected.length || !timingSafeEqual(Buffer.from(tag), expected))
      return undefined;
    try {
      return JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  /** Third-party login initiation, as the LMS starts it: the login hint names the LMS user. */
  function loginInitiationUrl(s: SimulatedLaunch, message: HintedMessage = { type: 'launch' }): string {
    const url = new URL(`${base}/lti/1.3/login`);
    url.search = new URLSearchParams({
      iss: registration.issuer,
      client_id: simulatorClientId,
      lti_deployment_id: simulatorDeploymentId,
      login_hint: lti13Subject(s),
      target_link_uri: `${base}/lti/1.3/launch`,
      lti_message_hint: messageHint(s, message),
    }).toString();
    return url.href;
  }

  /** Records who was launched where; for a resource link, the AGS claim naming its course's line items. */
  function agsEndpoint(s: SimulatedLaunch, m: MintedMessage): AgsEndpoint | undefined {
    const context = launchedContext(s);
    const link =
      m.type === 'deep-linking' ? undefined : launchedLink(s, m.type === 'link' ? m.link : undefined);
    const name = s.name ?? personas[s.role].name;
    gradebook.recordLaunch({ lti: '1.3', context, userId: lti13Subject(s), name, resourceLinkId: link?.id });
    if (!link) return undefined;
    const lineitem = gradebook.lineItemOfLink(context, link.id)?.id;
    return {
      scope: [agsScopes.lineitem, agsScopes.resultReadonly, agsScopes.score],
      lineitems: gradebook.lineItemsUrl(context),
      ...(lineitem ? { lineitem } : {}),
    };
  }

  async function mintIdToken(
    s: SimulatedLaunch,
    o: { nonce: string; nowSeconds: number; message?: MintedMessage },
  ): Promise<string> {
    const common = { base, deploymentId: simulatorDeploymentId, nonce: o.nonce };
    const m = o.message ?? { type: 'launch' };
    const ags = agsEndpoint(s, m);
    const claims =
      m.type === 'deep-linking'
        ? lti13DeepLinkingClaims(s, { ...common, returnUrl: m.returnUrl, data: m.data })
        : lti13Claims(s, {
            ...common,
            ...(m.type === 'link' ? { link: m.link } : {}),
            ...(ags ? { ags } : {}),
          });
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(registration.issuer)
      .setAudience(simulatorClientId)
      .setIssuedAt(o.nowSeconds)
      .setExpirationTime(o.nowSeconds + 300)
      .sign(privateKey);
  }

  const links = createSimulatorLinks(now);

  /** The course link a deep-linking item asks for, with its gradebook line item when it has one. */
  function linkItem(to: Pick<SimulatorLink, 'contextId' | 'flavour' | 'locale'>, item: VerifiedContentItem) {
    const { title = '', text, custom = {}, lineItem } = item;
    const { contextId, flavour, locale } = to;
    const link = links.addLink({ contextId, flavour, locale, title: title || 'labgate', text, custom });
    if (lineItem) {
      const { label, ...rest } = lineItem;
      gradebook.addLineItem(to.contextId, { ...rest, label: label || link.title, resourceLinkId: link.id });
    }
    return link;
  }

  const tokens = createTokenEndpoint({
    tokenUrl: registration.tokenUrl!,
    issuer: registration.issuer,
    clientId: simulatorClientId,
    toolJwksUrl: `${base}/.well-known/jwks.json`,
    gradebook,
    now,
  });

  return {
    registration,
    links,
    linkItem,
    gradebook,
    tokens,
    ags: createAgsService({ gradebook, tokens }),
    deepLinkReturnUrl: `${base}/simulator/lti13/deep-linking/return`,
    checkDeepLinkingReturn: createDeepLinkingReturnCheck({
      toolJwksUrl: `${base}/.well-known/jwks.json`,
      clientId: simulatorClientId,
      issuer: registration.issuer,
    }),
    jwks: () => ({ keys: [publicJwk] }),
    loginInitiationUrl,
    readMessageHint,
    mintIdToken,
  };
}

export type SimulatorPlatform = Awaited<ReturnType<typeof createSimulatorPlatform>>;
