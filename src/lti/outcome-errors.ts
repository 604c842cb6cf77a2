import { ltiError } from './lti-errors.ts';

// Outcome calls are machine to machine: the person reading these is whoever runs one of the two ends.
const ASK_OPERATOR =
  'The administrator of the LMS or of labgate should check the outcome service settings (URL, key and secret).';
const PROGRAMMING = 'This is a defect in labgate: report it with the message above.';

/** Faults of LTI 1.1 Basic Outcomes, sending (`replaceResultRequest`) and receiving (`verifyOutcomeRequest`). */
export const outcomeErrors = {
  badScore: (score: unknown) =>
    ltiError(
      'LTI_OUTCOME_SCORE',
      422,
      `The score ${JSON.stringify(String(score))} cannot be sent: LTI 1.1 outcomes take a decimal number from 0.0 to 1.0.`,
      PROGRAMMING,
    ),
  badText: (field: string) =>
    ltiError(
      'LTI_OUTCOME_TEXT',
      422,
      `The ${field} contains characters XML 1.0 cannot carry (control characters or unpaired surrogates).`,
      PROGRAMMING,
    ),
  badUrl: (url: string) =>
    ltiError('LTI_OUTCOME_URL', 422, `The outcome service URL "${url}" is not an http(s) URL.`, ASK_OPERATOR),
  badXml: (why: string) =>
    ltiError(
      'LTI_OUTCOME_XML',
      400,
      `The outcome message is not the expected POX XML: ${why}.`,
      ASK_OPERATOR,
    ),
  badStatus: (why: string) =>
    ltiError(
      'LTI_OUTCOME_RESPONSE',
      502,
      `The LMS answered the outcome request oddly: ${why}.`,
      ASK_OPERATOR,
    ),
  method: (method: string) =>
    ltiError(
      'LTI_OUTCOME_METHOD',
      405,
      `Outcome requests are POSTed, not sent with ${method}.`,
      ASK_OPERATOR,
    ),
  formBody: () =>
    ltiError(
      'LTI_OUTCOME_FORM_BODY',
      415,
      'An outcome request carries XML; a form-encoded body cannot be signed with oauth_body_hash.',
      ASK_OPERATOR,
    ),
  noAuthorization: () =>
    ltiError(
      'LTI_OUTCOME_NO_AUTHORIZATION',
      401,
      'The outcome request has no "Authorization: OAuth …" header.',
      ASK_OPERATOR,
    ),
  badAuthorization: (why: string) =>
    ltiError(
      'LTI_OUTCOME_BAD_AUTHORIZATION',
      401,
      `The outcome request's Authorization header is malformed: ${why}.`,
      ASK_OPERATOR,
    ),
  duplicate: (name: string) =>
    ltiError(
      'LTI_OUTCOME_DUPLICATE_PARAMETER',
      400,
      `The OAuth parameter "${name}" was sent more than once.`,
      ASK_OPERATOR,
    ),
  missing: (name: string) =>
    ltiError(
      'LTI_OUTCOME_MISSING_PARAMETER',
      400,
      `The OAuth parameter "${name}" is missing or empty.`,
      ASK_OPERATOR,
    ),
  missingBodyHash: () =>
    ltiError(
      'LTI_OUTCOME_MISSING_BODY_HASH',
      400,
      'The outcome request has no oauth_body_hash, so nothing proves its XML body is the one that was signed.',
      ASK_OPERATOR,
    ),
  bodyHashMismatch: () =>
    ltiError(
      'LTI_OUTCOME_BODY_TAMPERED',
      401,
      'The outcome request body does not match its signed oauth_body_hash: it was altered on the way or re-encoded after signing.',
      ASK_OPERATOR,
    ),
  signatureMethod: (method: string) =>
    ltiError(
      'LTI_OUTCOME_SIGNATURE_METHOD',
      400,
      `The signature method "${method}" is not accepted; outcome requests are signed with HMAC-SHA1 or HMAC-SHA256.`,
      ASK_OPERATOR,
    ),
  version: (v: string) =>
    ltiError(
      'LTI_OUTCOME_OAUTH_VERSION',
      400,
      `The OAuth version "${v}" is not supported; it must be 1.0.`,
      ASK_OPERATOR,
    ),
  unknownConsumer: () =>
    ltiError(
      'LTI_OUTCOME_UNKNOWN_CONSUMER',
      401,
      'The outcome request uses an unknown consumer key.',
      ASK_OPERATOR,
    ),
  badSignature: () =>
    ltiError(
      'LTI_OUTCOME_BAD_SIGNATURE',
      401,
      'The outcome request signature is not valid: it was signed with another secret or for another URL, or its OAuth parameters were altered.',
      ASK_OPERATOR,
    ),
  badTimestamp: (ts: string) =>
    ltiError(
      'LTI_OUTCOME_BAD_TIMESTAMP',
      400,
      `The timestamp "${ts}" is not a number of seconds.`,
      ASK_OPERATOR,
    ),
  clockSkew: (serverTime: number, requestTime: number, window: number) =>
    ltiError(
      'LTI_OUTCOME_CLOCK_SKEW',
      401,
      `The outcome request was signed ${Math.abs(serverTime - requestTime)} s ${requestTime < serverTime ? 'ago' : 'in the future'}; ±${window} s are accepted.`,
      'One of the two clocks is wrong: both administrators should enable NTP.',
      { 'skew (s)': requestTime - serverTime, 'accepted (s)': window },
    ),
  replayed: () =>
    ltiError(
      'LTI_OUTCOME_REPLAYED',
      401,
      'This outcome request was already received once (same nonce and timestamp); each request must be signed afresh.',
      ASK_OPERATOR,
    ),
  unsupportedOperation: (operation: string, messageIdentifier: string) =>
    ltiError(
      'LTI_OUTCOME_UNSUPPORTED',
      400,
      `The outcome operation "${operation}" is not supported; only replaceResult is.`,
      ASK_OPERATOR,
      { operation, messageIdentifier },
    ),
};
