import type { SimulatedLaunch } from './lti11-launch.ts';
import { demoAssignmentSlug, demoCourse, lmsUserId, personas } from './personas.ts';

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
const membership = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

/** The platform's user id: Open edX's anonymised id or Moodle's numeric one, unless a test overrides it. */
export const lti13Subject = (s: SimulatedLaunch) => s.userId ?? lmsUserId(s.flavour, personas[s.role].id);

/** A link of the course (the demo activity unless given) with the custom parameters it sends. */
export interface LaunchedLink {
  id: string;
  title: string;
  custom: Record<string, string>;
}

const demoLink: LaunchedLink = {
  id: demoCourse.resourceLinkId,
  title: demoCourse.resourceLinkTitle,
  custom: { assignment: demoAssignmentSlug },
};

/** The AGS endpoint claim: where the tool finds the course's line items, and the launched link's own. */
export interface AgsEndpoint {
  scope: string[];
  lineitems: string;
  lineitem?: string;
}

/** The link a resource-link launch is for: the given one, else the demo activity. */
export const launchedLink = (s: SimulatedLaunch, link?: LaunchedLink): LaunchedLink =>
  link ?? (s.assignment ? { ...demoLink, custom: { assignment: s.assignment } } : demoLink);

/** The course a launch is in. */
export const launchedContext = (s: SimulatedLaunch) => s.contextId ?? demoCourse.contextId;

/** The LTI 1.3 claims FUN/Open edX or Moodle put in a resource-link launch for this person. */
export function lti13Claims(
  s: SimulatedLaunch,
  o: { base: string; deploymentId: string; nonce: string; link?: LaunchedLink; ags?: AgsEndpoint },
) {
  const link = launchedLink(s, o.link);
  const persona = personas[s.role];
  const moodle = s.flavour === 'moodle';
  const roles =
    s.role === 'teacher'
      ? [
          `${membership}Instructor`,
          ...(moodle ? ['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor'] : []),
        ]
      : [`${membership}Learner`];
  return {
    sub: lti13Subject(s),
    azp: 'labgate-simulator',
    nonce: o.nonce,
    name: s.name ?? persona.name,
    email: persona.email,
    locale: s.locale,
    [`${lti}message_type`]: 'LtiResourceLinkRequest',
    [`${lti}version`]: '1.3.0',
    [`${lti}deployment_id`]: o.deploymentId,
    [`${lti}target_link_uri`]: `${o.base}/lti/1.3/launch`,
    [`${lti}resource_link`]: { id: link.id, title: link.title },
    [`${lti}roles`]: roles,
    [`${lti}custom`]: link.custom,
    [`${lti}context`]: {
      id: launchedContext(s),
      label: moodle ? 'RR101' : demoCourse.label,
      title: s.courseTitle ?? demoCourse.title,
      type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
    },
    [`${lti}tool_platform`]: {
      guid: moodle ? 'moodle.demo.labgate' : 'fun.demo.labgate',
      name: moodle ? 'Moodle (démo)' : undefined,
      product_family_code: moodle ? 'moodle' : 'FUN',
    },
    [`${lti}launch_presentation`]: {
      locale: s.locale,
      document_target: 'window',
      ...(moodle ? { return_url: `${o.base}/simulator?returned=1` } : {}),
    },
    ...(o.ags ? { 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': o.ags } : {}),
  };
}
