import { createHmac, timingSafeEqual } from 'node:crypto';

/** The HMAC methods labgate accepts; PLAINTEXT is refused because a browser-borne launch would expose the secret. */
export type SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';

export const signatureMethods: readonly SignatureMethod[] = ['HMAC-SHA1', 'HMAC-SHA256'];

/** @see RFC 5849 §3.6: UTF-8, then every byte outside A-Z a-z 0-9 - . _ ~ as upper-case %XX. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/** @see RFC 5849 §3.4.1.2: lower-case scheme and host, default port dropped, no query or fragment. */
export function baseStringUri(url: URL): string {
  const scheme = url.protocol.toLowerCase();
  const defaultPort =
    (scheme === 'http:' && url.port === '80') || (scheme === 'https:' && url.port === '443');
  const port = url.port && !defaultPort ? `:${url.port}` : '';
  return `${scheme}//${url.hostname.toLowerCase()}${port}${url.pathname}`;
}

/** Query pairs decoded as application/x-www-form-urlencoded (§3.4.1.3.1), duplicates kept in order. */
function queryPairs(url: URL): Array<[string, string]> {
  return [...url.searchParams.entries()];
}

const byteCompare = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** @see RFC 5849 §3.4.1.3.2: encode names and values, sort by encoded name then encoded value, byte-wise. */
export function normalizeParameters(params: Array<[string, string]>): string {
  return params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort((a, b) => byteCompare(a[0], b[0]) || byteCompare(a[1], b[1]))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/**
 * @see RFC 5849 §3.4.1.1. `params` are the decoded request parameters without `oauth_signature`;
 * the query parameters of `url` are added to them, as the RFC collects both.
 */
export function signatureBaseString(method: string, url: string, params: Array<[string, string]>): string {
  const parsed = new URL(url);
  const all = [...queryPairs(parsed), ...params];
  return [
    percentEncode(method.toUpperCase()),
    percentEncode(baseStringUri(parsed)),
    percentEncode(normalizeParameters(all)),
  ].join('&');
}

export function oauthSignature(o: {
  method: string;
  url: string;
  params: Array<[string, string]>;
  consumerSecret: string;
  tokenSecret?: string;
  signatureMethod?: SignatureMethod;
}): string {
  const algorithm = (o.signatureMethod ?? 'HMAC-SHA1') === 'HMAC-SHA256' ? 'sha256' : 'sha1';
  const key = `${percentEncode(o.consumerSecret)}&${percentEncode(o.tokenSecret ?? '')}`;
  return createHmac(algorithm, key)
    .update(signatureBaseString(o.method, o.url, o.params))
    .digest('base64');
}

/** Compares two base64 signatures as bytes, in time independent of where they differ. */
export function signaturesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'base64');
  const b = Buffer.from(received, 'base64');
  // Buffer.from(…,'base64') skips junk characters: require the received text to be canonical base64 too.
  const canonical = b.toString('base64') === received;
  return a.length === b.length && timingSafeEqual(a, b) && canonical;
}
