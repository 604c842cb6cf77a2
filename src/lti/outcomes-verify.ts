import { randomBytes } from 'node:crypto';
import { oauthSignature, signatureMethods, signaturesMatch, type SignatureMethod } from './oauth1.ts';
import { outcomeErrors } from './outcome-errors.ts';
import { oauthBodyHash } from './outcomes.ts';
import { findPath, imsOutcomesNamespace, parseXml, type XmlElement } from './pox-xml.ts';

export interface OutcomeRequestToVerify {
  method: string;
  /** The absolute URL the service is known by (from configuration, not from Host), query included. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
  /** The consumer's secrets (several while one is rotated); undefined for an unknown key. */
  secretFor: (
    consumerKey: string,
  ) => string | readonly string[] | undefined | Promise<string | readonly string[] | undefined>;
  /** Records the nonce; false when it was already seen. Same shape as NonceStore.rememberNonce. */
  rememberNonce: (
    consumerKey: string,
    timestamp: number,
    nonce: string,
    expiresAt: number,
  ) => boolean | Promise<boolean>;
  now?: () => number;
  timestampWindowSeconds?: number;
}

export interface VerifiedReplaceResult {
  consumerKey: string;
  operation: 'replaceResult';
  messageIdentifier: string;
  /** Exactly as sent, entities resolved. */
  sourcedId: string;
  score: number;
  /** The score's text as sent, e.g. "0.85". */
  scoreText: string;
  language: string;
}

const decoySecret = randomBytes(32).toString('base64url');
const required = [
  'oauth_consumer_key',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_signature',
];

/** @see RFC 5849 §3.5.1: `OAuth name="value", …`, names and values percent-encoded, realm not a parameter. */
export function parseOAuthAuthorization(header: string | string[] | undefined): Map<string, string> {
  if (Array.isArray(header)) throw outcomeErrors.badAuthorization('it was sent more than once');
  const match = header?.match(/^\s*OAuth\s+([\s\S]*)$/i);
  if (!match) throw outcomeErrors.noAuthorization();
  const params = new Map<string, string>();
  const pair = /\s*([^\s=,]+)\s*=\s*"([^"]*)"\s*(?:,|$)/y;
  const text = match[1]!.trim();
  while (pair.lastIndex < text.length) {
    const m = pair.exec(text);
    if (!m) throw outcomeErrors.badAuthorization(`cannot read it after offset ${pair.lastIndex}`);
    let name: string, value: string;
    try {
      [name, value] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
    } catch {
      throw outcomeErrors.badAuthorization(`the parameter ${m[1]} is not percent-encoded UTF-8`);
    }
    if (name === 'realm') continue;
    if (params.has(name)) throw outcomeErrors.duplicate(name);
    params.set(name, value);
  }
  return params;
}

function readProtocolParameters(params: Map<string, string>) {
  for (const name of required) if (!params.get(name)) throw outcomeErrors.missing(name);
  if (!params.get('oauth_body_hash')) throw outcomeErrors.missingBodyHash();
  const method = params.get('oauth_signature_method')!;
  if (!signatureMethods.includes(method as SignatureMethod)) throw outcomeErrors.signatureMethod(method);
  const version = params.get('oauth_version');
  if (version !== undefined && version !== '1.0') throw outcomeErrors.version(version);
  const timestamp = params.get('oauth_timestamp')!;
  if (!/^\d{1,12}$/.test(timestamp)) throw outcomeErrors.badTimestamp(timestamp);
  return {
    consumerKey: params.get('oauth_consumer_key')!,
    signatureMethod: method as SignatureMethod,
    timestamp: Number(timestamp),
    nonce: params.get('oauth_nonce')!,
    signature: params.get('oauth_signature')!,
    bodyHash: params.get('oauth_body_hash')!,
  };
}

const headerValue = (headers: OutcomeRequestToVerify['headers'], name: string) => {
  const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  return found?.[1];
};

/**
 * Verifies a Basic Outcomes call the way an LMS should: signature over the Authorization parameters and
 * the URL's query (constant time, every secret tried), body hash, timestamp window both ways, then the
 * nonce, recorded only once the rest holds. Throws a typed outcome error otherwise.
 */
export async function verifyOutcomeRequest(req: OutcomeRequestToVerify): Promise<VerifiedReplaceResult> {
  if (req.method.toUpperCase() !== 'POST') throw outcomeErrors.method(req.method);
  const mediaType = String(headerValue(req.headers, 'content-type') ?? '').toLowerCase();
  // Form-encoded bodies are signed as parameters, never hashed (OAuth Request Body Hash draft).
  if (mediaType.startsWith('application/x-www-form-urlencoded')) throw outcomeErrors.formBody();
  const params = parseOAuthAuthorization(headerValue(req.headers, 'authorization'));
  const oauth = readProtocolParameters(params);

  const found = await req.secretFor(oauth.consumerKey);
  const secrets = found === undefined ? [decoySecret] : typeof found === 'string' ? [found] : found;
  const signed = [...params].filter(([name]) => name !== 'oauth_signature');
  let valid = false;
  for (const consumerSecret of secrets) {
    const expected = oauthSignature({
      method: 'POST',
      url: req.url,
      params: signed,
      consumerSecret,
      signatureMethod: oauth.signatureMethod,
    });
    valid = signaturesMatch(expected, oauth.signature) || valid;
  }
  if (found === undefined || secrets.length === 0) throw outcomeErrors.unknownConsumer();
  if (!valid) throw outcomeErrors.badSignature();
  if (!signaturesMatch(oauthBodyHash(req.body, oauth.signatureMethod), oauth.bodyHash)) {
    throw outcomeErrors.bodyHashMismatch();
  }

  const window = req.timestampWindowSeconds ?? 300;
  const nowSeconds = Math.floor((req.now ?? Date.now)() / 1000);
  if (Math.abs(nowSeconds - oauth.timestamp) > window) {
    throw outcomeErrors.clockSkew(nowSeconds, oauth.timestamp, window);
  }
  const body = readReplaceResult(typeof req.body === 'string' ? req.body : decodeUtf8(req.body));
  const expiresAt = (oauth.timestamp + window + 60) * 1000;
  if (!(await req.rememberNonce(oauth.consumerKey, oauth.timestamp, oauth.nonce, expiresAt))) {
    throw outcomeErrors.replayed();
  }
  return { consumerKey: oauth.consumerKey, ...body };
}

function decodeUtf8(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw outcomeErrors.badXml('the body is not UTF-8');
  }
}

const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Reads a replaceResultRequest envelope; read/delete and anything else are refused as unsupported. */
export function readReplaceResult(xml: string): Omit<VerifiedReplaceResult, 'consumerKey'> {
  const root = parseXml(xml);
  const inIms = (e: XmlElement) => e.namespace === imsOutcomesNamespace;
  if (root.name !== 'imsx_POXEnvelopeRequest' || !inIms(root)) {
    throw outcomeErrors.badXml(`the root is not <imsx_POXEnvelopeRequest xmlns="${imsOutcomesNamespace}">`);
  }
  const header = findPath(root, 'imsx_POXHeader', 'imsx_POXRequestHeaderInfo');
  const messageIdentifier = header && findPath(header, 'imsx_messageIdentifier')?.text.trim();
  if (!messageIdentifier) throw outcomeErrors.badXml('imsx_messageIdentifier is missing');
  const operation = findPath(root, 'imsx_POXBody')?.children[0];
  if (!operation) throw outcomeErrors.badXml('imsx_POXBody holds no operation');
  if (operation.name !== 'replaceResultRequest' || !inIms(operation)) {
    throw outcomeErrors.unsupportedOperation(operation.name.replace(/Request$/, ''), messageIdentifier);
  }
  const record = findPath(operation, 'resultRecord');
  const sourcedId = record && findPath(record, 'sourcedGUID', 'sourcedId')?.text;
  if (!record || !sourcedId)
    throw outcomeErrors.badXml('resultRecord/sourcedGUID/sourcedId is missing or empty');
  const resultScore = findPath(record, 'result', 'resultScore');
  const scoreText = resultScore && findPath(resultScore, 'textString')?.text.trim();
  if (!scoreText) throw outcomeErrors.badXml('result/resultScore/textString is missing or empty');
  const score = Number(scoreText);
  if (!decimal.test(scoreText) || !(score >= 0 && score <= 1)) throw outcomeErrors.badScore(scoreText);
  const language = findPath(resultScore, 'language')?.text.trim() ?? '';
  return { operation: 'replaceResult', messageIdentifier, sourcedId, score, scoreText, language };
}
