import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { oauthSignature } from './oauth1.ts';
import {
  oauthAuthorizationHeader,
  oauthBodyHash,
  readOutcomeResponse,
  replaceResultRequest,
} from './outcomes.ts';
import { outcomeResponseXml, readRecordOperation, verifyOutcomeOperation } from './outcomes-receiving.ts';
import type { OutcomeRequestToVerify } from './outcomes-verify.ts';
import { findPath, imsOutcomesNamespace, parseXml } from './pox-xml.ts';

const url = 'https://lms.test/outcomes?course=7';
const key = 'consumer';
const secret = 'secret';

const envelope = (operation: string, sourcedId = 'sid-1', messageId = 'm-1') => `<?xml version="1.0"?>
<imsx_POXEnvelopeRequest xmlns="${imsOutcomesNamespace}">
  <imsx_POXHeader><imsx_POXRequestHeaderInfo><imsx_version>V1.0</imsx_version>
    <imsx_messageIdentifier>${messageId}</imsx_messageIdentifier></imsx_POXRequestHeaderInfo></imsx_POXHeader>
  <imsx_POXBody><${operation}Request><resultRecord><sourcedGUID><sourcedId>${sourcedId}</sourcedId>
  </sourcedGUID></resultRecord></${operation}Request></imsx_POXBody>
</imsx_POXEnvelopeRequest>`;

/** A POX call signed as a tool signs it: body hash and the URL's query in the base string. */
function signed(body: string, o: { secret?: string; timestamp?: number; nonce?: string } = {}) {
  const params: Array<[string, string]> = [
    ['oauth_version', '1.0'],
    ['oauth_nonce', o.nonce ?? Math.random().toString(36).slice(2)],
    ['oauth_timestamp', String(o.timestamp ?? Math.floor(Date.now() / 1000))],
    ['oauth_consumer_key', key],
    ['oauth_body_hash', oauthBodyHash(body)],
    ['oauth_signature_method', 'HMAC-SHA1'],
  ];
  const signature = oauthSignature({ method: 'POST', url, params, consumerSecret: o.secret ?? secret });
  return { authorization: oauthAuthorizationHeader([...params, ['oauth_signature', signature]]), body };
}

function receiving(call: { authorization: string; body: string }): OutcomeRequestToVerify {
  const seen = new Set<string>();
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/xml', authorization: call.authorization },
    body: Buffer.from(call.body),
    secretFor: (k) => (k === key ? secret : undefined),
    rememberNonce: (k, ts, nonce) => !seen.has(`${k}:${ts}:${nonce}`) && !!seen.add(`${k}:${ts}:${nonce}`),
  };
}

const codeOf = async (run: Promise<unknown>) =>
  run.then(
    () => 'none',
    (e: unknown) => (isAppError(e) ? e.code : String(e)),
  );

describe('verifyOutcomeOperation: Basic Outcomes as an LMS receives them', () => {
  it('passes replaceResult through to verifyOutcomeRequest', async () => {
    const req = replaceResultRequest({
      serviceUrl: url,
      sourcedId: 's',
      score: 0.5,
      consumerKey: key,
      secret,
    });
    const call = await verifyOutcomeOperation(
      receiving({ authorization: req.headers.authorization, body: req.body }),
    );
    expect(call).toMatchObject({ operation: 'replaceResult', sourcedId: 's', score: 0.5, consumerKey: key });
  });

  it('reads readResult and deleteResult once signed, and refuses their replay', async () => {
    for (const operation of ['readResult', 'deleteResult']) {
      const req = receiving(signed(envelope(operation, 'a&amp;b', `id-${operation}`)));
      expect(await verifyOutcomeOperation(req)).toEqual({
        consumerKey: key,
        operation,
        messageIdentifier: `id-${operation}`,
        sourcedId: 'a&b',
      });
      expect(await codeOf(verifyOutcomeOperation(req))).toBe('LTI_OUTCOME_REPLAYED');
    }
  });

  it('refuses a read or delete signed with another secret, altered, or stale, before reading it', async () => {
    const other = receiving(signed(envelope('deleteResult'), { secret: 'wrong' }));
    expect(await codeOf(verifyOutcomeOperation(other))).toBe('LTI_OUTCOME_BAD_SIGNATURE');
    const good = signed(envelope('readResult'));
    const altered = receiving({ ...good, body: good.body.replace('sid-1', 'sid-2') });
    expect(await codeOf(verifyOutcomeOperation(altered))).toBe('LTI_OUTCOME_BODY_TAMPERED');
    const stale = receiving(
      signed(envelope('readResult'), { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    );
    expect(await codeOf(verifyOutcomeOperation(stale))).toBe('LTI_OUTCOME_CLOCK_SKEW');
  });

  it('calls other operations unsupported', async () => {
    const req = receiving(signed(envelope('readMembership')));
    expect(await codeOf(verifyOutcomeOperation(req))).toBe('LTI_OUTCOME_UNSUPPORTED');
    expect(() => readRecordOperation(envelope('deleteResult', ''))).toThrow(/sourcedId is missing/);
  });
});

describe('outcomeResponseXml', () => {
  it('writes a response readOutcomeResponse reads back, the readResult score in its body', () => {
    const xml = outcomeResponseXml({
      codeMajor: 'success',
      description: 'Score <read> & kept',
      messageRefIdentifier: 'm-1',
      operation: 'readResult',
      scoreText: '0.85',
    });
    expect(readOutcomeResponse(xml)).toEqual({
      codeMajor: 'success',
      description: 'Score <read> & kept',
      messageRefIdentifier: 'm-1',
      operationRefIdentifier: 'readResult',
    });
    const root = parseXml(xml);
    expect(root.namespace).toBe(imsOutcomesNamespace);
    const score = findPath(root, 'imsx_POXBody', 'readResultResponse', 'result', 'resultScore', 'textString');
    expect(score?.text).toBe('0.85');
  });

  it('answers failure with severity error and the operation’s empty response', () => {
    const xml = outcomeResponseXml({
      codeMajor: 'failure',
      description: 'no',
      messageRefIdentifier: '',
      operation: 'replaceResult',
    });
    expect(readOutcomeResponse(xml).codeMajor).toBe('failure');
    expect(xml).toContain('<imsx_severity>error</imsx_severity>');
    expect(findPath(parseXml(xml), 'imsx_POXBody', 'replaceResultResponse')).toBeDefined();
  });
});
