import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { isAppError } from '../../errors.ts';
import type { JwksCache } from './jwks-cache.ts';
import { lti13Errors } from './lti13-errors.ts';
import type { Platform } from './platform-store.ts';

function headerAlgorithm(token: string): string {
  try {
    return String(decodeProtectedHeader(token).alg ?? 'none');
  } catch {
    throw lti13Errors.token('it is not a JSON Web Token');
  }
}

const reasonOf = (err: unknown): string => {
  if (err instanceof errors.JWKSTimeout) return 'no answer in time';
  const cause = (err as { cause?: { code?: unknown } }).cause?.code;
  const message = err instanceof Error ? err.message : String(err);
  return typeof cause === 'string' ? `${message} (${cause})` : message;
};

/**
 * The platform's key set, with its failures sorted: a token naming no published key is the token's
 * fault (401); a key set that cannot be fetched or read is the LMS's (502, naming the URL).
 */
function platformKeys(jwks: JwksCache, platform: Platform) {
  const keys = jwks(platform.jwksUrl);
  return async (...args: Parameters<typeof keys>) => {
    try {
      return await keys(...args);
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey)
        throw lti13Errors.token('it is signed with a key the LMS does not publish');
      if (err instanceof errors.JWKSMultipleMatchingKeys)
        throw lti13Errors.token('it names no key id (kid) and the LMS publishes several keys');
      throw lti13Errors.jwksUnreachable(platform.jwksUrl, reasonOf(err));
    }
  };
}

/** Maps jose's failures to what a person (or the LMS admin) can act on; bad input never becomes a 5xx. */
function explain(err: unknown): unknown {
  if (isAppError(err)) return err;
  if (err instanceof errors.JWTExpired) {
    return lti13Errors.expired(
      err.claim === 'iat' ? 'it was issued more than 10 minutes ago' : 'it has expired',
    );
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iat' || err.claim === 'nbf')
      return lti13Errors.expired(`its "${err.claim}" time is off (${err.reason})`);
    return lti13Errors.token(`its "${err.claim}" claim does not match (${err.reason})`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return lti13Errors.token('its signature is not valid');
  if (err instanceof errors.JOSEError) return lti13Errors.token(err.message);
  return err;
}

/**
 * Verifies the platform's id_token: RS256 only, against its JWKS, for this issuer and client id,
 * with 60 s of clock leeway and at most 10 minutes of age.
 */
export async function verifyIdToken(
  jwks: JwksCache,
  platform: Platform,
  token: string,
  now: () => number = Date.now,
): Promise<JWTPayload> {
  const alg = headerAlgorithm(token);
  if (alg !== 'RS256') throw lti13Errors.algorithm(alg);
  try {
    const { payload } = await jwtVerify(token, platformKeys(jwks, platform), {
      algorithms: ['RS256'],
      issuer: platform.issuer,
      audience: platform.clientId,
      clockTolerance: 60,
      maxTokenAge: 600,
      currentDate: new Date(now()),
      requiredClaims: ['iat', 'exp', 'sub', 'nonce'],
    });
    return payload;
  } catch (err) {
    throw explain(err);
  }
}
