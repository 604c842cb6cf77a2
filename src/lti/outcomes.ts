import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { oauthSignature, percentEncode, type SignatureMethod } from './oauth1.ts';
import { outcomeErrors } from './outcome-errors.ts';
import { escapeXml, findPath, imsOutcomesNamespace, parseXml } from './pox-xml.ts';

/**
 * base64 of the body's digest: SHA-1 for HMAC-SHA1, SHA-256 for HMAC-SHA256.
 * @see OAuth Request Body Hash draft (http://oauth.googlecode.com/svn/spec/ext/body_hash/1.0/oauth-bodyhash.html)
 */
export function oauthBodyHash(body: string | Buffer, signatureMethod: SignatureMethod = 'HMAC-SHA1'): string {
  const algorithm = signatureMethod === 'HMAC-SHA256' ? 'sha256' : 'sha1';
  return createHash(algorithm).update(body).digest('base64');
}

/** A score as LTI 1.1 wants it: 0.0–1.0, a dot whatever the locale, never an exponent. */
export function formatScore(score: number): string {
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 1) {
    throw outcomeErrors.badScore(score);
  }
  const plain = String(score); // Number#toString ignores the locale, unlike toLocaleString
  if (!/e/i.test(plain)) return plain;
  return score.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** @see IMS LTI 1.1 Implementation Guide §6.1.1 (replaceResultRequest), shape and namespace as printed there. */
export function replaceResultXml(o: { sourcedId: string; score: number; messageId: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<imsx_POXEnvelopeRequest xmlns="${imsOutcomesNamespace}">
  <imsx_POXHeader>
    <imsx_POXRequestHeaderInfo>
      <imsx_version>V1.0</imsx_version>
      <imsx_messageIdentifier>${escapeXml(o.messageId, 'message identifier')}</imsx_messageIdentifier>
    </imsx_POXRequestHeaderInfo>
  </imsx_POXHeader>
  <imsx_POXBody>
    <replaceResultRequest>
      <resultRecord>
        <sourcedGUID>
          <sourcedId>${escapeXml(o.sourcedId, 'sourcedId')}</sourcedId>
        </sourcedGUID>
        <result>
          <resultScore>
            <language>en</language>
            <textString>${formatScore(o.score)}</textString>
          </resultScore>
        </result>
      </resultRecord>
    </replaceResultRequest>
  </imsx_POXBody>
</imsx_POXEnvelopeRequest>
`;
}

/** @see RFC 5849 §3.5.1: every name and value percent-encoded, quoted, comma-separated. */
export function oauthAuthorizationHeader(params: Array<[string, string]>): string {
  return 'OAuth ' + params.map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`).join(', ');
}

export interface OutcomeHttpRequest {
  url: string;
  method: 'POST';
  headers: { 'content-type': 'application/xml'; authorization: string };
  body: string;
}

/**
 * Builds a signed LTI 1.1 replaceResult call. The XML is not in the base string; its hash is, as
 * oauth_body_hash, next to the service URL's own query parameters (lti.md §7.1).
 */
export function replaceResultRequest(o: {
  serviceUrl: string;
  sourcedId: string;
  score: number;
  consumerKey: string;
  secret: string;
  nonce?: string;
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  messageId?: string;
}): OutcomeHttpRequest {
  let url: URL;
  try {
    url = new URL(o.serviceUrl);
  } catch {
    throw outcomeErrors.badUrl(o.serviceUrl);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw outcomeErrors.badUrl(o.serviceUrl);
  const body = replaceResultXml({
    sourcedId: o.sourcedId,
    score: o.score,
    messageId: o.messageId ?? randomUUID(),
  });
  const params: Array<[string, string]> = [
    ['oauth_version', '1.0'],
    ['oauth_nonce', o.nonce ?? randomBytes(16).toString('hex')],
    ['oauth_timestamp', String(o.timestamp ?? Math.floor(Date.now() / 1000))],
    ['oauth_consumer_key', o.consumerKey],
    ['oauth_body_hash', oauthBodyHash(body)],
    ['oauth_signature_method', 'HMAC-SHA1'],
  ];
  const signature = oauthSignature({ method: 'POST', url: o.serviceUrl, params, consumerSecret: o.secret });
  return {
    url: o.serviceUrl,
    method: 'POST',
    headers: {
      'content-type': 'application/xml',
      authorization: oauthAuthorizationHeader([...params, ['oauth_signature', signature]]),
    },
    body,
  };
}

export const outcomeCodes = ['success', 'processing', 'failure', 'unsupported'] as const;
export type OutcomeCodeMajor = (typeof outcomeCodes)[number];

export interface OutcomeResponse {
  codeMajor: OutcomeCodeMajor;
  description: string;
  /** The imsx_messageIdentifier of the request this answers ('' when the LMS left it out). */
  messageRefIdentifier: string;
  operationRefIdentifier: string;
}

/**
 * Reads an imsx_POXEnvelopeResponse. HTTP 200 alone means nothing: the status is imsx_codeMajor.
 * Lenient on the namespace (only the status is read), strict on everything that could hide the status.
 */
export function readOutcomeResponse(xml: string): OutcomeResponse {
  const root = parseXml(xml);
  if (root.name !== 'imsx_POXEnvelopeResponse') {
    throw outcomeErrors.badStatus(`the root element is <${root.name}>, not <imsx_POXEnvelopeResponse>`);
  }
  const status = findPath(root, 'imsx_POXHeader', 'imsx_POXResponseHeaderInfo', 'imsx_statusInfo');
  if (!status) throw outcomeErrors.badStatus('there is no imsx_statusInfo');
  const field = (name: string) => findPath(status, name)?.text.trim() ?? '';
  const codeMajor = field('imsx_codeMajor');
  if (!outcomeCodes.includes(codeMajor as OutcomeCodeMajor)) {
    throw outcomeErrors.badStatus(`imsx_codeMajor is ${JSON.stringify(codeMajor)}`);
  }
  return {
    codeMajor: codeMajor as OutcomeCodeMajor,
    description: field('imsx_description'),
    messageRefIdentifier: field('imsx_messageRefIdentifier'),
    operationRefIdentifier: field('imsx_operationRefIdentifier'),
  };
}
