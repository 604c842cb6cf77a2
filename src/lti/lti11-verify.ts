import { randomBytes } from 'node:crypto';
import type { Consumer, ConsumerStore } from './consumer-store.ts';
import { decodeFormBody, parseFormPairs } from './form-body.ts';
import { launchErrors, maxIdentifierLength } from './lti-errors.ts';
import type { NonceStore } from './nonce-store.ts';
import { oauthSignature, signatureMethods, signaturesMatch, type SignatureMethod } from './oauth1.ts';

export interface Lti11Request {
  /** Path and query exactly as received (fastify's `request.url`). */
  url: string;
  contentType: string | undefined;
  body: Buffer;
}

export interface Lti11VerifierDeps {
  publicBaseUrl: URL;
  timestampWindowSeconds: number;
  consumers: Pick<ConsumerStore, 'findConsumer'>;
  nonces: Pick<NonceStore, 'rememberNonce'>;
  now: () => number;
}

export interface VerifiedLti11 {
  consumer: Consumer;
  /** Every signed parameter, by name (duplicates were refused). */
  params: Map<string, string>;
}

// Unknown keys are checked against a throwaway secret so that their answer takes as long as a bad signature.
const decoySecret = randomBytes(32).toString('base64url');

/** @see RFC 5849 §3.4.1.2 and lti.md §1.3: the configured public URL, never Host or X-Forwarded-*. */
export const signedLaunchUrl = (publicBaseUrl: URL, requestUrl: string) =>
  publicBaseUrl.href.replace(/\/$/, '') + requestUrl;

function collectParameters(req: Lti11Request, signedUrl: string): Map<string, string> {
  const mediaType = req.contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') throw launchErrors.notForm();
  const query = new URL(signedUrl).search.slice(1);
  const pairs = [...parseFormPairs(query), ...decodeFormBody(req.body)];
  const params = new Map<string, string>();
  for (const [name, value] of pairs) {
    // PostgreSQL text cannot hold U+0000, and no LMS sends it: refuse rather than fail later.
    if (name.includes('\0') || value.includes('\0'))
      throw launchErrors.malformed(`${JSON.stringify(name)} contains a NUL character`);
    if (params.has(name)) throw launchErrors.duplicate(name);
    params.set(name, value);
  }
  return params;
}

function required(params: Map<string, string>, name: string): string {
  const value = params.get(name);
  if (!value) throw launchErrors.missing(name);
  if (value.length > maxIdentifierLength) throw launchErrors.tooLong(name, maxIdentifierLength);
  return value;
}

function readProtocolParameters(params: Map<string, string>) {
  const method = required(params, 'oauth_signature_method');
  if (!signatureMethods.includes(method as SignatureMethod)) throw launchErrors.signatureMethod(method);
  const version = params.get('oauth_version');
  if (version !== undefined && version !== '1.0') throw launchErrors.version(version);
  const timestamp = required(params, 'oauth_timestamp');
  if (!/^\d{1,12}$/.test(timestamp)) throw launchErrors.badTimestamp(timestamp);
  return {
    consumerKey: required(params, 'oauth_consumer_key'),
    signatureMethod: method as SignatureMethod,
    timestamp: Number(timestamp),
    nonce: required(params, 'oauth_nonce'),
    signature: required(params, 'oauth_signature'),
  };
}

function signatureIsValid(
  secrets: string[],
  o: { url: string; params: Map<string, string>; method: SignatureMethod; signature: string },
) {
  const signedParams = [...o.params].filter(([name]) => name !== 'oauth_signature');
  const bare = o.url.split('?')[0]!; // query pairs are already part of params
  let valid = false;
  for (const consumerSecret of secrets) {
    const expected = oauthSignature({
      method: 'POST',
      url: bare,
      params: signedParams,
      consumerSecret,
      signatureMethod: o.method,
    });
    valid = signaturesMatch(expected, o.signature) || valid;
  }
  return valid;
}

/**
 * Verifies an LTI 1.1 launch: parameters, signature (constant time), timestamp window in both
 * directions, then the nonce, recorded only once the signature holds. Throws a launch error otherwise.
 */
export async function verifyLti11Launch(deps: Lti11VerifierDeps, req: Lti11Request): Promise<VerifiedLti11> {
  const url = signedLaunchUrl(deps.publicBaseUrl, req.url);
  const params = collectParameters(req, url);
  const oauth = readProtocolParameters(params);

  const consumer = await deps.consumers.findConsumer(oauth.consumerKey);
  const secrets = consumer?.secrets ?? [decoySecret];
  const valid = signatureIsValid(secrets, {
    url,
    params,
    method: oauth.signatureMethod,
    signature: oauth.signature,
  });
  if (!consumer) throw launchErrors.unknownConsumer();
  if (!valid) throw launchErrors.badSignature();

  const window = deps.timestampWindowSeconds;
  const nowSeconds = Math.floor(deps.now() / 1000);
  if (Math.abs(nowSeconds - oauth.timestamp) > window) {
    throw launchErrors.clockSkew(nowSeconds, oauth.timestamp, window);
  }
  // Kept until the timestamp itself falls out of the window, plus a minute of slack.
  const expiresAt = (oauth.timestamp + window + 60) * 1000;
  if (!(await deps.nonces.rememberNonce(consumer.key, oauth.timestamp, oauth.nonce, expiresAt))) {
    throw launchErrors.replayed();
  }
  return { consumer, params };
}
