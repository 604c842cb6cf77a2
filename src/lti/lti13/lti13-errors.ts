import { ltiError } from '../lti-errors.ts';

const ASK_ADMIN =
  'The LMS administrator should check labgate’s LTI 1.3 registration (issuer, client id, deployment, keys).';
const RELAUNCH = 'Go back to your course and open the activity again.';

export const lti13Errors = {
  missing: (name: string) =>
    ltiError(
      'LTI13_MISSING_PARAMETER',
      400,
      `The LTI 1.3 parameter "${name}" is missing or empty.`,
      ASK_ADMIN,
    ),
  unknownPlatform: (issuer: string) =>
    ltiError(
      'LTI13_UNKNOWN_PLATFORM',
      400,
      `No LMS is registered with issuer ${issuer} and this client id.`,
      ASK_ADMIN,
    ),
  badTarget: (uri: string) =>
    ltiError(
      'LTI13_TARGET_LINK',
      400,
      `The launch targets ${uri}, which is not a labgate address.`,
      ASK_ADMIN,
    ),
  badDeployment: (id: string) =>
    ltiError('LTI13_DEPLOYMENT', 400, `The deployment "${id}" is not registered for this LMS.`, ASK_ADMIN),
  stateUnknown: () =>
    ltiError(
      'LTI13_STATE',
      401,
      'This launch was already used, has expired, or did not start here.',
      RELAUNCH,
    ),
  browserMismatch: () =>
    ltiError(
      'LTI13_BROWSER',
      401,
      'This launch did not come back to the browser that started it, or the browser refused labgate’s cookie.',
      'Open the activity again; if your LMS shows it inside its page, choose to open it in a new window.',
    ),
  algorithm: (alg: string) =>
    ltiError(
      'LTI13_ALGORITHM',
      401,
      `The LMS sent a launch token ${alg === 'none' ? 'with no signature (alg "none")' : `signed with an unexpected algorithm (${alg})`}; labgate accepts RS256 only.`,
      ASK_ADMIN,
    ),
  token: (why: string) =>
    ltiError('LTI13_TOKEN', 401, `The LMS launch token was refused: ${why}.`, ASK_ADMIN),
  expired: (why: string) =>
    ltiError('LTI13_TOKEN_TIME', 401, `The LMS launch token is not valid now: ${why}.`, RELAUNCH),
  claim: (why: string) =>
    ltiError('LTI13_CLAIM', 400, `The LMS launch token is not a valid LTI 1.3 launch: ${why}.`, ASK_ADMIN),
  deepLinking: (why: string) =>
    ltiError(
      'LTI13_DEEP_LINKING',
      400,
      `The LMS asked labgate to pick content (deep linking), but its request is not usable: ${why}.`,
      ASK_ADMIN,
    ),
  deepLinkingTypes: (types: string[]) =>
    ltiError(
      'LTI13_DEEP_LINKING_TYPES',
      400,
      `The LMS accepts content of the types ${JSON.stringify(types).slice(0, 200)} here, but labgate offers LTI resource links (ltiResourceLink) only.`,
      'The LMS administrator should let labgate’s tool registration add LTI links (in Moodle: “Supports Deep Linking”); or add the activity by hand with the launch URL and custom parameter shown on labgate’s course page.',
    ),
  deepLinkingRole: () =>
    ltiError(
      'LTI13_DEEP_LINKING_ROLE',
      403,
      'Only the course’s instructors, content developers and administrators can add labgate exercises to it.',
      'Ask a teacher of the course to add the exercise; learners open it from the course once it is there.',
    ),
  deepLinkingGone: () =>
    ltiError(
      'LTI13_DEEP_LINKING_REQUEST',
      404,
      'This exercise selection has expired (after an hour), was already used, or was started in another browser session.',
      'Go back to your course in the LMS and add labgate content again.',
    ),
  jwksUnreachable: (url: string, why: string) =>
    ltiError(
      'LTI13_JWKS_UNREACHABLE',
      502,
      `labgate could not read the LMS public keys at ${url}: ${why}.`,
      'Try again in a minute; if it keeps failing, the LMS administrator should check that this URL serves the LMS key set (JWKS).',
    ),
};
