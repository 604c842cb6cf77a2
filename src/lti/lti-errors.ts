import { AppError } from '../errors.ts';

const ASK_TEACHER =
  'Go back to your course and open the activity again; if it keeps failing, tell your teacher.';
const ASK_ADMIN =
  'The LMS administrator should check the tool settings (launch URL, key and secret) for labgate.';

/** A launch refused before any user or session was touched. */
/** Identifiers end up in database keys, whose index entries have a size limit: no LMS comes near this. */
export const maxIdentifierLength = 1000;

export const ltiError = (
  code: string,
  status: number,
  message: string,
  hint: string = ASK_TEACHER,
  details?: Record<string, string | number>,
) => new AppError({ code, status, message, hint, ...(details ? { details } : {}) });

export const launchErrors = {
  notForm: () =>
    ltiError(
      'LTI_NOT_FORM',
      415,
      'This launch was not sent as an HTML form (application/x-www-form-urlencoded).',
      ASK_ADMIN,
    ),
  tooLarge: (limit: number) =>
    ltiError(
      'LTI_TOO_LARGE',
      413,
      `This launch is larger than the ${limit} bytes labgate accepts.`,
      ASK_ADMIN,
    ),
  notUtf8: () =>
    ltiError('LTI_NOT_UTF8', 400, 'This launch contains text that is not valid UTF-8.', ASK_ADMIN),
  malformed: (why: string) => ltiError('LTI_MALFORMED', 400, `This launch is malformed: ${why}.`, ASK_ADMIN),
  duplicate: (name: string) =>
    ltiError(
      'LTI_DUPLICATE_PARAMETER',
      400,
      `The launch parameter "${name}" was sent more than once.`,
      ASK_ADMIN,
    ),
  tooLong: (name: string, max: number) =>
    ltiError(
      'LTI_VALUE_TOO_LONG',
      400,
      `The launch parameter "${name}" is longer than ${max} characters.`,
      ASK_ADMIN,
    ),
  missing: (name: string) =>
    ltiError('LTI_MISSING_PARAMETER', 400, `The launch parameter "${name}" is missing or empty.`, ASK_ADMIN),
  signatureMethod: (method: string) =>
    ltiError(
      'LTI_SIGNATURE_METHOD',
      400,
      `The signature method "${method}" is not accepted; labgate accepts HMAC-SHA1 and HMAC-SHA256.`,
      ASK_ADMIN,
    ),
  version: (v: string) =>
    ltiError(
      'LTI_OAUTH_VERSION',
      400,
      `The OAuth version "${v}" is not supported; it must be 1.0.`,
      ASK_ADMIN,
    ),
  unknownConsumer: () =>
    ltiError(
      'LTI_UNKNOWN_CONSUMER',
      401,
      'This launch uses a consumer key labgate does not know.',
      ASK_ADMIN,
    ),
  badSignature: () =>
    ltiError(
      'LTI_BAD_SIGNATURE',
      401,
      'The launch signature is not valid: it was signed with another secret or for another URL, or it was altered on the way.',
      ASK_ADMIN,
    ),
  badTimestamp: (ts: string) =>
    ltiError('LTI_BAD_TIMESTAMP', 400, `The launch timestamp "${ts}" is not a number of seconds.`, ASK_ADMIN),
  clockSkew: (serverTime: number, launchTime: number, window: number) =>
    ltiError(
      'LTI_CLOCK_SKEW',
      401,
      `This launch was signed ${Math.abs(serverTime - launchTime)} s ${launchTime < serverTime ? 'ago' : 'in the future'}; labgate accepts ±${window} s.`,
      'If you just clicked the link, one of the two clocks is wrong: the LMS and labgate administrators should enable NTP. Otherwise reload the course page and click again.',
      {
        'server time (UTC)': new Date(serverTime * 1000).toISOString(),
        'launch time (UTC)': new Date(launchTime * 1000).toISOString(),
        'skew (s)': launchTime - serverTime,
        'accepted (s)': window,
      },
    ),
  replayed: () =>
    ltiError(
      'LTI_REPLAYED',
      401,
      'This launch was already used once; each launch link works a single time.',
      'Reload the course page in your LMS and click the activity again.',
    ),
  messageType: (type: string) =>
    ltiError(
      'LTI_MESSAGE_TYPE',
      400,
      `The LTI message type "${type}" is not supported by labgate.`,
      ASK_ADMIN,
    ),
  ltiVersion: (v: string) =>
    ltiError('LTI_VERSION', 400, `The LTI version "${v}" is not supported; expected LTI-1p0.`, ASK_ADMIN),
};
