import { z } from 'zod';
import { agsEndpointClaim, readAgsEndpoint } from '../grade-service.ts';
import { lmsDisplayName } from '../lms-name.ts';
import { maxIdentifierLength } from '../lti-errors.ts';
import { localeFrom } from '../lti11-claims.ts';
import type { VerifiedLaunch } from '../launch.ts';
import { returnUrlFor } from '../return-url.ts';
import { courseRoleFromLti13 } from '../roles.ts';
import {
  deepLinkingSettingsClaim,
  readDeepLinkingSettings,
  type DeepLinkingSettings,
} from './deep-linking-settings.ts';
import { lti13Errors } from './lti13-errors.ts';
import type { Platform } from './platform-store.ts';

const claimBase = 'https://purl.imsglobal.org/spec/lti/claim/';
const lti = <N extends string>(name: N): `${typeof claimBase}${N}` => `${claimBase}${name}`;
const text = z.string().trim().min(1);
const identifier = text.max(maxIdentifierLength);

const launchClaims = z.object({
  sub: identifier,
  aud: z.union([z.string(), z.array(z.string())]),
  azp: z.string().optional(),
  nonce: z.string(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional(),
  locale: z.string().optional(),
  [lti('message_type')]: z.string(),
  [lti('version')]: z.string(),
  [lti('deployment_id')]: text,
  [lti('target_link_uri')]: z.string(),
  [lti('roles')]: z.array(z.string()),
  [lti('resource_link')]: z
    .object({ id: z.string().max(maxIdentifierLength), title: z.string().optional() })
    .optional(),
  [lti('context')]: z
    .object({ id: text, label: z.string().optional(), title: z.string().optional() })
    .optional(),
  [lti('tool_platform')]: z
    .object({ name: z.string().optional(), product_family_code: z.string().optional() })
    .optional(),
  [lti('launch_presentation')]: z
    .object({ locale: z.string().optional(), return_url: z.string().optional() })
    .optional(),
  [lti('custom')]: z.record(z.string(), z.unknown()).optional(),
  [deepLinkingSettingsClaim]: z.unknown().optional(),
  // Read apart (readAgsEndpoint): a malformed one is ignored, never a refused launch.
  [agsEndpointClaim]: z.unknown().optional(),
});

type Claims = z.infer<typeof launchClaims>;

// PostgreSQL text cannot hold U+0000 and no platform sends it.
const hasNul = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('\0')
    : typeof v === 'object' &&
      v !== null &&
      Object.entries(v).some(([k, x]) => k.includes('\0') || hasNul(x));

function parseClaims(payload: unknown): Claims {
  if (hasNul(payload)) throw lti13Errors.claim('a claim contains a NUL character');
  const parsed = launchClaims.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw lti13Errors.claim(`the claim ${issue.path.join('.')} is missing or malformed (${issue.message})`);
}

function checkLaunch(c: Claims, platform: Platform, expected: { nonce: string; targetLinkUri: string }) {
  if (Array.isArray(c.aud) && c.aud.length > 1 && c.azp === undefined)
    throw lti13Errors.claim('several audiences but no azp');
  if (c.azp !== undefined && c.azp !== platform.clientId)
    throw lti13Errors.claim(`azp is ${c.azp}, not labgate’s client id`);
  if (c.nonce !== expected.nonce) throw lti13Errors.claim('the nonce is not the one labgate sent');
  if (c[lti('version')] !== '1.3.0') throw lti13Errors.claim(`version ${c[lti('version')]} is not 1.3.0`);
  const deployment = c[lti('deployment_id')];
  if (!platform.deploymentIds.includes(deployment)) throw lti13Errors.badDeployment(deployment);
  const type = c[lti('message_type')];
  if (type !== 'LtiResourceLinkRequest' && type !== 'LtiDeepLinkingRequest')
    throw lti13Errors.claim(`message type ${type} is not supported`);
  if (c[lti('target_link_uri')] !== expected.targetLinkUri) {
    throw lti13Errors.claim('target_link_uri differs from the one given at login');
  }
}

const customStrings = (custom: Record<string, unknown> | undefined) =>
  Object.fromEntries(
    Object.entries(custom ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );

/** What a verified id_token asks: a launch of a resource link, or content for the LMS to link (a teacher's). */
export type Lti13Message =
  | { kind: 'resource-link'; launch: VerifiedLaunch }
  | {
      kind: 'deep-linking';
      launch: VerifiedLaunch;
      deepLinking: DeepLinkingSettings & { deploymentId: string };
    };

/** Checks the LTI claims of a verified id_token and reads them into a launch or a deep-linking request. */
export function readLti13Message(
  platform: Platform,
  payload: unknown,
  expected: { nonce: string; targetLinkUri: string },
): Lti13Message {
  const c = parseClaims(payload);
  checkLaunch(c, platform, expected);
  if (c[lti('message_type')] === 'LtiDeepLinkingRequest') return readDeepLinking(c, platform);
  const link = c[lti('resource_link')];
  if (!link?.id.trim()) throw lti13Errors.claim('the resource_link claim has no id');
  const launch = toLaunch(c, platform, link);
  const grades = launch.role === 'learner' ? readAgsEndpoint(c[agsEndpointClaim]) : {};
  return {
    kind: 'resource-link',
    launch: {
      ...launch,
      ...(grades.service ? { gradeService: grades.service } : {}),
      ...(grades.problem ? { gradeServiceProblem: grades.problem } : {}),
    },
  };
}

/** Deep Linking has no resource link, but labgate needs the course; only its teachers may add content. */
function readDeepLinking(c: Claims, platform: Platform): Lti13Message {
  const settings = readDeepLinkingSettings(c[deepLinkingSettingsClaim]);
  if (!c[lti('context')]) throw lti13Errors.deepLinking('its context claim (the course) is missing');
  const launch = toLaunch(c, platform, undefined);
  if (launch.role !== 'teacher') throw lti13Errors.deepLinkingRole();
  return {
    kind: 'deep-linking',
    launch,
    deepLinking: { ...settings, deploymentId: c[lti('deployment_id')] },
  };
}

function toLaunch(
  c: Claims,
  platform: Platform,
  link: { id: string; title?: string | undefined } | undefined,
): VerifiedLaunch {
  const context = c[lti('context')];
  const toolPlatform = c[lti('tool_platform')];
  const presentation = c[lti('launch_presentation')];
  const fullName = c.name ?? ([c.given_name, c.family_name].filter(Boolean).join(' ') || undefined);
  return {
    version: '1.3',
    identity: { kind: 'lti13', issuer: platform.issuer, clientId: platform.clientId, subject: c.sub },
    lmsKey: `lti13:${platform.issuer}`,
    lmsName: lmsDisplayName(toolPlatform?.product_family_code, toolPlatform?.name, platform.name),
    person: { name: fullName, email: c.email },
    context: {
      id: context?.id ?? `resource:${link?.id}`,
      title: context?.title || context?.label || link?.title || link?.id || context?.id || '',
      label: context?.label,
    },
    ...(link ? { resourceLink: { id: link.id, title: link.title } } : {}),
    role: courseRoleFromLti13(c[lti('roles')]),
    locale: localeFrom(presentation?.locale ?? c.locale),
    returnUrl: returnUrlFor(presentation?.return_url, new URL(platform.authLoginUrl).origin),
    custom: customStrings(c[lti('custom')]),
  };
}
