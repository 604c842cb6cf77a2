import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
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

/** Maps jose's failures to what a person (or the LMS admin) can act on; bad input never becomes a 5xx. */
function explain(err: unknown, platform: Platform): Error {
  if (err instanceof errors.JWTExpired) return lti13Errors.expired('it has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iat' || err.claim === 'nbf')
      return lti13Errors.expired(`its "${err.claim}" time is off (${err.reason})`);
    return lti13Errors.token(`its "${err.claim}" claim does not match (${err.reason})`);
  }
  if (err instanceof errors.JWKSNoMatchingKey)
    return lti13Errors.token('it is signed with a key the LMS does not publish');
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return lti13Errors.token('its signature is not valid');
  if (err instanceof errors.JWKSTimeout)
    return lti13Errors.jwksUnreachable(platform.jwksUrl, 'no answer in 5 s');
  if (err instanceof errors.JWKSInvalid || err instanceof errors.JWKSMultipleMatchingKeys) {
    return lti13Errors.jwksUnreachable(platform.jwksUrl, err.message);
  }
  if (err instanceof errors.JOSEError) return lti13Errors.token(err.message);
  if (err instanceof TypeError || (err as { code?: string }).code === 'ECONNREFUSED') {
    return lti13Errors.jwksUnreachable(platform.jwksUrl, (err as Error).message);
  }
  return err as Error;
}

/**
 * Verifies the platform's id_token: RS256 only, against its JWKS, for this issuer and client id,
 * with 60 s of clock leeway and at most 10 minutes of age.
 */
export async function verifyIdToken(jwks: JwksCache, platform: Platform, token: string): Promise<JWTPayload> {
  const alg = headerAlgorithm(token);
  if (alg !== 'RS256') throw lti13Errors.algorithm(alg);
  try {
    const { payload } = await jwtVerify(token, jwks(platform.jwksUrl), {
      algorithms: ['RS256'],
      issuer: platform.issuer,
      audience: platform.clientId,
      clockTolerance: 60,
      maxTokenAge: 600,
      requiredClaims: ['iat', 'exp', 'sub', 'nonce'],
    });
    return payload;
  } catch (err) {
    throw explain(err, platform);
  }
}
