import { randomUUID } from 'node:crypto';
import { isAppError } from '../errors.ts';
import { outcomeErrors } from './outcome-errors.ts';
import type { OutcomeCodeMajor } from './outcomes.ts';
import {
  parseOAuthAuthorization,
  verifyOutcomeRequest,
  type OutcomeRequestToVerify,
  type VerifiedReplaceResult,
} from './outcomes-verify.ts';
import { escapeXml, findPath, imsOutcomesNamespace, parseXml } from './pox-xml.ts';

/** A verified readResult or deleteResult: the two other operations of Basic Outcomes. */
export interface VerifiedRecordOperation {
  consumerKey: string;
  operation: 'readResult' | 'deleteResult';
  messageIdentifier: string;
  sourcedId: string;
}

export type VerifiedOutcomeOperation = VerifiedReplaceResult | VerifiedRecordOperation;

/** Reads a readResultRequest or deleteResultRequest envelope; anything else is unsupported. */
export function readRecordOperation(xml: string): Omit<VerifiedRecordOperation, 'consumerKey'> {
  const root = parseXml(xml);
  if (root.name !== 'imsx_POXEnvelopeRequest' || root.namespace !== imsOutcomesNamespace) {
    throw outcomeErrors.badXml(`the root is not <imsx_POXEnvelopeRequest xmlns="${imsOutcomesNamespace}">`);
  }
  const header = findPath(root, 'imsx_POXHeader', 'imsx_POXRequestHeaderInfo');
  const messageIdentifier = header && findPath(header, 'imsx_messageIdentifier')?.text.trim();
  if (!messageIdentifier) throw outcomeErrors.badXml('imsx_messageIdentifier is missing');
  const request = findPath(root, 'imsx_POXBody')?.children[0];
  if (!request) throw outcomeErrors.badXml('imsx_POXBody holds no operation');
  const operation = request.name.replace(/Request$/, '');
  if (
    (operation !== 'readResult' && operation !== 'deleteResult') ||
    request.namespace !== imsOutcomesNamespace
  ) {
    throw outcomeErrors.unsupportedOperation(operation, messageIdentifier);
  }
  const sourcedId = findPath(request, 'resultRecord', 'sourcedGUID', 'sourcedId')?.text;
  if (!sourcedId) throw outcomeErrors.badXml('resultRecord/sourcedGUID/sourcedId is missing or empty');
  return { operation, messageIdentifier, sourcedId };
}

const header = (headers: OutcomeRequestToVerify['headers'], name: string) =>
  Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];

/**
 * verifyOutcomeRequest, widened to readResult and deleteResult for a receiving LMS. That verifier
 * calls an operation unsupported only after the signature, body hash and timestamp held (tested in
 * outcomes-receiving.test.ts); the request's nonce is then recorded here, as it would have been there.
 */
export async function verifyOutcomeOperation(req: OutcomeRequestToVerify): Promise<VerifiedOutcomeOperation> {
  try {
    return await verifyOutcomeRequest(req);
  } catch (err) {
    if (!isAppError(err) || err.code !== 'LTI_OUTCOME_UNSUPPORTED') throw err;
    const record = readRecordOperation(typeof req.body === 'string' ? req.body : req.body.toString('utf8'));
    const oauth = parseOAuthAuthorization(header(req.headers, 'authorization'));
    const timestamp = Number(oauth.get('oauth_timestamp'));
    const expiresAt = (timestamp + (req.timestampWindowSeconds ?? 300) + 60) * 1000;
    const consumerKey = oauth.get('oauth_consumer_key')!;
    if (!(await req.rememberNonce(consumerKey, timestamp, oauth.get('oauth_nonce')!, expiresAt))) {
      throw outcomeErrors.replayed();
    }
    return { consumerKey, ...record };
  }
}

const severity: Record<OutcomeCodeMajor, string> = {
  success: 'status',
  processing: 'status',
  failure: 'error',
  unsupported: 'status',
};

function operationBody(operation: string, codeMajor: OutcomeCodeMajor, scoreText: string | undefined) {
  if (operation === 'readResult' && codeMajor === 'success') {
    const score = scoreText === undefined ? '' : escapeXml(scoreText, 'score');
    return `<readResultResponse><result><resultScore><language>en</language><textString>${score}</textString></resultScore></result></readResultResponse>`;
  }
  return ['replaceResult', 'readResult', 'deleteResult'].includes(operation) ? `<${operation}Response/>` : '';
}

/**
 * The imsx_POXEnvelopeResponse an LMS answers an outcome call with: the status is in imsx_codeMajor.
 * @see IMS LTI 1.1 Implementation Guide §6.1.1, responses as printed there.
 */
export function outcomeResponseXml(o: {
  codeMajor: OutcomeCodeMajor;
  description: string;
  /** The request's imsx_messageIdentifier, '' when it could not be read. */
  messageRefIdentifier: string;
  /** replaceResult, readResult, deleteResult, or the unsupported operation's name. */
  operation: string;
  /** readResult's score text ('' or absent: no result). */
  scoreText?: string;
}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<imsx_POXEnvelopeResponse xmlns="${imsOutcomesNamespace}">
  <imsx_POXHeader>
    <imsx_POXResponseHeaderInfo>
      <imsx_version>V1.0</imsx_version>
      <imsx_messageIdentifier>${randomUUID()}</imsx_messageIdentifier>
      <imsx_statusInfo>
        <imsx_codeMajor>${o.codeMajor}</imsx_codeMajor>
        <imsx_severity>${severity[o.codeMajor]}</imsx_severity>
        <imsx_description>${escapeXml(o.description, 'description')}</imsx_description>
        <imsx_messageRefIdentifier>${escapeXml(o.messageRefIdentifier, 'message identifier')}</imsx_messageRefIdentifier>
        <imsx_operationRefIdentifier>${escapeXml(o.operation, 'operation')}</imsx_operationRefIdentifier>
      </imsx_statusInfo>
    </imsx_POXResponseHeaderInfo>
  </imsx_POXHeader>
  <imsx_POXBody>${operationBody(o.operation, o.codeMajor, o.scoreText)}</imsx_POXBody>
</imsx_POXEnvelopeResponse>
`;
}
