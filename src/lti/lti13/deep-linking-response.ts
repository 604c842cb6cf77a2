import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ToolKeys } from './tool-keys.ts';

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
const dl = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

/** The one exercise a teacher picked, as the LMS will link it. */
export interface LinkedExercise {
  slug: string;
  title: string;
  text?: string;
}

export interface DeepLinkingAnswer {
  /** The platform's issuer (the answer's audience) and labgate's client id there (its issuer). */
  issuer: string;
  clientId: string;
  deploymentId: string;
  targets: string[];
  data: unknown;
}

/**
 * One `ltiResourceLink` without `url`, so the LMS launches the tool's registered URL (Moodle matches a
 * link with a url to a tool by domain: teacher.md §4.3); `custom` names the assignment.
 */
export function resourceLinkItem(exercise: LinkedExercise, targets: string[]) {
  const presentation = targets.includes('window')
    ? { window: { targetName: '_blank' } }
    : targets.includes('iframe')
      ? { iframe: {} }
      : {};
  return {
    type: 'ltiResourceLink',
    title: exercise.title,
    ...(exercise.text ? { text: exercise.text } : {}),
    custom: { assignment: exercise.slug },
    ...presentation,
    lineItem: { scoreMaximum: 100, label: exercise.title, resourceId: exercise.slug, tag: 'labgate' },
  };
}

/**
 * The `LtiDeepLinkingResponse` the browser posts back to the LMS (field `JWT`): RS256 with labgate's
 * current key, integer times, five minutes to live.
 * @see https://www.imsglobal.org/spec/lti-dl/v2p0#deep-linking-response-message
 */
export async function signDeepLinkingResponse(
  keys: Pick<ToolKeys, 'signingKey'>,
  answer: DeepLinkingAnswer,
  exercise: LinkedExercise,
  nowSeconds: number,
): Promise<string> {
  const { kid, key } = await keys.signingKey();
  const iat = Math.floor(nowSeconds);
  return new SignJWT({
    nonce: randomBytes(24).toString('base64url'),
    [`${lti}message_type`]: 'LtiDeepLinkingResponse',
    [`${lti}version`]: '1.3.0',
    [`${lti}deployment_id`]: answer.deploymentId,
    [`${dl}content_items`]: [resourceLinkItem(exercise, answer.targets)],
    ...(answer.data === undefined ? {} : { [`${dl}data`]: answer.data }),
  })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(answer.clientId)
    .setAudience(answer.issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 300)
    .sign(key);
}
