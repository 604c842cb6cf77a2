import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Gradebook } from './gradebook.ts';

const ags = 'https://purl.imsglobal.org/spec/lti-ags/scope/';
export const agsScopes = {
  lineitem: `${ags}lineitem`,
  lineitemReadonly: `${ags}lineitem.readonly`,
  resultReadonly: `${ags}result.readonly`,
  score: `${ags}score`,
} as const;
const grantable = new Set<string>(Object.values(agsScopes));

const tokenTtlSeconds = 3600;
const maxAssertionLifeSeconds = 3600;
const clockSkewSeconds = 60;
const maxEntries = 5000;

export type TokenError = 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type';

export type TokenAnswer =
  | { status: 200; body: { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } }
  | { status: 400 | 401; body: { error: TokenError; error_description: string } };

export type BearerCheck =
  | { ok: true }
  | { ok: false; status: 401 | 403; error: 'invalid_token' | 'insufficient_scope'; description: string };

const forget = <V>(map: Map<string, V>, expired: (v: V) => boolean) => {
  for (const [k, v] of map) if (expired(v) || map.size > maxEntries) map.delete(k);
};

/**
 * The simulated platform's OAuth 2 token endpoint for LTI services (client credentials with a JWT
 * client assertion, RFC 7523 §2.2 as LTI's security framework asks), and the bearer tokens it issued.
 * @see https://www.imsglobal.org/spec/security/v1p0/#using-json-web-tokens-with-oauth-2-0-client-credentials-grant
 */
export function createTokenEndpoint(o: {
  tokenUrl: string;
  issuer: string;
  clientId: string;
  toolJwksUrl: string;
  gradebook: Gradebook;
  now: () => number;
}) {
  const toolKeys = createRemoteJWKSet(new URL(o.toolJwksUrl), { cooldownDuration: 0 });
  const seenJti = new Map<string, number>(); // jti → when the assertion expires (ms)
  const tokens = new Map<string, { scopes: Set<string>; expiresAt: number }>();

  function fail(status: 400 | 401, error: TokenError, description: string): TokenAnswer {
    o.gradebook.refuse({ lti: '1.3', endpoint: 'token', status, error, reason: description });
    return { status, body: { error, error_description: description } };
  }

  /** Checks the client assertion; a reason when it does not hold. */
  async function assertionProblem(jwt: string): Promise<string | undefined> {
    const nowSeconds = Math.floor(o.now() / 1000);
    let payload;
    try {
      ({ payload } = await jwtVerify(jwt, toolKeys, {
        algorithms: ['RS256'],
        issuer: o.clientId,
        subject: o.clientId,
        audience: [o.tokenUrl, o.issuer],
        requiredClaims: ['iat', 'exp', 'jti'],
        currentDate: new Date(nowSeconds * 1000),
        clockTolerance: clockSkewSeconds,
      }));
    } catch (err) {
      return `the client assertion does not verify: ${(err as Error).message}`;
    }
    const { exp = 0, iat = 0, jti = '' } = payload;
    if (exp > nowSeconds + maxAssertionLifeSeconds + clockSkewSeconds)
      return `the client assertion expires ${exp - nowSeconds} s from now; at most ${maxAssertionLifeSeconds} s are accepted`;
    if (iat > nowSeconds + clockSkewSeconds || iat < nowSeconds - maxAssertionLifeSeconds)
      return `the client assertion's iat (${iat}) is not within an hour before now (${nowSeconds})`;
    forget(seenJti, (until) => until < o.now());
    if (!jti || seenJti.has(jti)) return `the client assertion's jti ${JSON.stringify(jti)} was already used`;
    seenJti.set(jti, (exp + clockSkewSeconds) * 1000);
    return undefined;
  }

  /** Answers a token request (its form fields), as RFC 6749 §5 says. */
  async function issueToken(form: URLSearchParams): Promise<TokenAnswer> {
    const grantType = form.get('grant_type');
    if (!grantType) return fail(400, 'invalid_request', 'grant_type is missing: send the fields as a form');
    if (grantType !== 'client_credentials')
      return fail(
        400,
        'unsupported_grant_type',
        `grant_type ${JSON.stringify(grantType)} is not client_credentials`,
      );
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      return fail(
        401,
        'invalid_client',
        'client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
    const assertion = form.get('client_assertion');
    if (!assertion) return fail(401, 'invalid_client', 'client_assertion is missing');
    const problem = await assertionProblem(assertion);
    if (problem) return fail(401, 'invalid_client', problem);
    const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const scopes = asked.filter((s) => grantable.has(s));
    if (scopes.length === 0)
      return fail(
        400,
        'invalid_scope',
        `none of the scopes asked (${asked.join(' ') || 'none'}) is granted; ask for AGS scopes`,
      );
    const token = randomBytes(32).toString('base64url');
    forget(tokens, (t) => t.expiresAt < o.now());
    tokens.set(token, { scopes: new Set(scopes), expiresAt: o.now() + tokenTtlSeconds * 1000 });
    const body = {
      access_token: token,
      token_type: 'Bearer' as const,
      expires_in: tokenTtlSeconds,
      scope: scopes.join(' '),
    };
    return { status: 200, body };
  }

  /** Whether the Authorization header bears a live token granting one of `anyOf`. */
  function checkBearer(authorization: string | undefined, anyOf: readonly string[]): BearerCheck {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    const found = token ? tokens.get(token) : undefined;
    if (!found || found.expiresAt <= o.now()) {
      const description = token
        ? 'the access token is unknown or expired'
        : 'no "Authorization: Bearer" token';
      return { ok: false, status: 401, error: 'invalid_token', description };
    }
    if (!anyOf.some((s) => found.scopes.has(s)))
      return {
        ok: false,
        status: 403,
        error: 'insufficient_scope',
        description: `this call needs the scope ${anyOf.join(' or ')}`,
      };
    return { ok: true };
  }

  return { issueToken, checkBearer };
}

export type TokenEndpoint = ReturnType<typeof createTokenEndpoint>;
