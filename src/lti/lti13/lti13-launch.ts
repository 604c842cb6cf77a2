import { timingSafeEqual } from 'node:crypto';
import { verifyIdToken } from './id-token.ts';
import type { JwksCache } from './jwks-cache.ts';
import { readLti13Message, type Lti13Message } from './lti13-claims.ts';
import { lti13Errors } from './lti13-errors.ts';
import { hashBinding, type LoginStateStore } from './login-state-store.ts';
import type { PlatformStore } from './platform-store.ts';

export interface Lti13Deps {
  platforms: Pick<PlatformStore, 'findPlatform' | 'getPlatform'>;
  logins: Pick<LoginStateStore, 'startLogin' | 'consumeLogin'>;
  jwks: JwksCache;
  publicBaseUrl: URL;
  now?: () => number;
}

/** Each login binds its browser with a cookie of its own, so two launches in two tabs do not collide. */
export const bindingCookieName = (state: string) => `labgate_lti13_${state.slice(0, 16)}`;
export const launchPath = '/lti/1.3/launch';

// PostgreSQL text cannot hold U+0000 and no platform sends it: refuse it before any query.
function refuseNul(values: Iterable<string>) {
  for (const v of values)
    if (v.includes('\0')) throw lti13Errors.claim('a parameter contains a NUL character');
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name)?.trim();
  if (!value) throw lti13Errors.missing(name);
  return value;
}

/**
 * OIDC third-party login initiation: find the platform, check the target is ours, keep state and
 * nonce server-side, and send the browser to the platform's authorization endpoint.
 * @see https://www.imsglobal.org/spec/security/v1p0/#openid_connect_launch_flow
 */
export async function startLti13Login(deps: Lti13Deps, params: URLSearchParams) {
  refuseNul([...params.keys(), ...params.values()]);
  const issuer = required(params, 'iss');
  const loginHint = required(params, 'login_hint');
  const targetLinkUri = required(params, 'target_link_uri');
  const platform = await deps.platforms.findPlatform(issuer, params.get('client_id') ?? undefined);
  if (!platform) throw lti13Errors.unknownPlatform(issuer);
  if (!URL.canParse(targetLinkUri) || new URL(targetLinkUri).origin !== deps.publicBaseUrl.origin) {
    throw lti13Errors.badTarget(targetLinkUri);
  }
  const deployment = params.get('lti_deployment_id');
  if (deployment && !platform.deploymentIds.includes(deployment)) throw lti13Errors.badDeployment(deployment);

  const { state, nonce, binding } = await deps.logins.startLogin({ platformId: platform.id, targetLinkUri });
  const authorize = new URL(platform.authLoginUrl);
  const query: Record<string, string> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: deps.publicBaseUrl.href.replace(/\/$/, '') + launchPath,
    login_hint: loginHint,
    state,
    nonce,
  };
  const messageHint = params.get('lti_message_hint');
  if (messageHint) query.lti_message_hint = messageHint;
  for (const [k, v] of Object.entries(query)) authorize.searchParams.set(k, v);
  return { redirectUrl: authorize.href, binding: { name: bindingCookieName(state), value: binding } };
}

const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The platform posts back the id_token: state once, same browser, then the token and its claims, which
 * make a resource-link launch or a teacher's deep-linking request.
 */
export async function finishLti13Launch(
  deps: Lti13Deps,
  o: { idToken: string | undefined; state: string | undefined; cookies: Record<string, string | undefined> },
): Promise<Lti13Message> {
  if (!o.state) throw lti13Errors.missing('state');
  if (!o.idToken) throw lti13Errors.missing('id_token');
  refuseNul([o.state]);
  const login = await deps.logins.consumeLogin(o.state);
  if (!login) throw lti13Errors.stateUnknown();
  const binding = o.cookies[bindingCookieName(o.state)];
  if (!binding || !sameHash(hashBinding(binding), login.browserHash)) throw lti13Errors.browserMismatch();
  const platform = await deps.platforms.getPlatform(login.platformId);
  if (!platform) throw lti13Errors.stateUnknown();
  const payload = await verifyIdToken(deps.jwks, platform, o.idToken, deps.now);
  return readLti13Message(platform, payload, login);
}
