import { randomBytes } from 'node:crypto';
import { oauthSignature, type SignatureMethod } from '../lti/index.ts';

/** Signs launch parameters the way an LMS does, adding the oauth_* fields; returns the form to post. */
export function signLti11Launch(o: {
  launchUrl: string;
  consumerKey: string;
  secret: string;
  params: Array<[string, string]>;
  nowSeconds: number;
  signatureMethod?: SignatureMethod;
  nonce?: string;
}): Array<[string, string]> {
  const signed: Array<[string, string]> = [
    ...o.params,
    ['oauth_consumer_key', o.consumerKey],
    ['oauth_signature_method', o.signatureMethod ?? 'HMAC-SHA1'],
    ['oauth_timestamp', String(o.nowSeconds)],
    ['oauth_nonce', o.nonce ?? randomBytes(16).toString('hex')],
    ['oauth_version', '1.0'],
  ];
  const signature = oauthSignature({
    method: 'POST',
    url: o.launchUrl,
    params: signed,
    consumerSecret: o.secret,
    ...(o.signatureMethod ? { signatureMethod: o.signatureMethod } : {}),
  });
  return [...signed, ['oauth_signature', signature]];
}
