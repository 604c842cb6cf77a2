import {
  demoAssignmentSlug,
  demoCourse,
  lmsUserId,
  personas,
  type LmsFlavour,
  type PersonaRole,
} from './personas.ts';

export interface SimulatedLaunch {
  flavour: LmsFlavour;
  role: PersonaRole;
  locale: 'fr' | 'en';
  /** Overrides for the persona, so tests can launch as anyone. */
  userId?: string;
  name?: string;
  courseTitle?: string;
  contextId?: string;
  /** The activity's `assignment` custom parameter (the demo exercise unless given), as a teacher pasted it. */
  assignment?: string;
}

/** The LMS's Basic Outcomes service, which names each learner's result with an opaque sourcedId. */
export interface OutcomesService {
  serviceUrl: string;
  sourcedIdFor: (t: { context: string; resourceLinkId: string; userId: string }) => string;
}

/** The unsigned LTI 1.1 parameters FUN/Open edX or Moodle would send for this person and course. */
export function lti11LaunchParams(
  s: SimulatedLaunch,
  publicBaseUrl: URL,
  outcomes?: OutcomesService,
): Array<[string, string]> {
  const persona = personas[s.role];
  const userId = s.userId ?? lmsUserId(s.flavour, persona.id);
  const context = s.contextId ?? demoCourse.contextId;
  const resourceLinkId = demoCourse.resourceLinkId;
  // Learners only, as Moodle does: where their grade goes, and which result it is.
  const grade: Array<[string, string]> =
    outcomes && s.role === 'learner'
      ? [
          ['lis_outcome_service_url', outcomes.serviceUrl],
          ['lis_result_sourcedid', outcomes.sourcedIdFor({ context, resourceLinkId, userId })],
        ]
      : [];
  const common: Array<[string, string]> = [
    ['lti_message_type', 'basic-lti-launch-request'],
    ['lti_version', 'LTI-1p0'],
    ['user_id', userId],
    ['lis_person_name_full', s.name ?? persona.name],
    ['lis_person_contact_email_primary', persona.email],
    ['context_id', context],
    ['context_title', s.courseTitle ?? demoCourse.title],
    ['resource_link_id', resourceLinkId],
    ['resource_link_title', demoCourse.resourceLinkTitle],
    ['launch_presentation_locale', s.locale],
    ['custom_assignment', s.assignment ?? demoAssignmentSlug],
    ...grade,
  ];
  if (s.flavour === 'openedx') {
    return [
      ...common,
      ['roles', s.role === 'teacher' ? 'Instructor' : 'Student,Learner'],
      ['context_label', demoCourse.label],
      ['tool_consumer_info_product_family_code', 'FUN'],
      ['oauth_callback', 'about:blank'],
      ['launch_presentation_return_url', ''],
      ['custom_component_display_name', demoCourse.resourceLinkTitle],
    ];
  }
  return [
    ...common,
    ['roles', s.role === 'teacher' ? 'urn:lti:role:ims/lis/Instructor' : 'urn:lti:role:ims/lis/Learner'],
    ['context_label', 'RR101'],
    ['tool_consumer_info_product_family_code', 'moodle'],
    ['tool_consumer_instance_name', 'Moodle (démo)'],
    ['ext_lms', 'moodle-2'],
    ['launch_presentation_document_target', 'window'],
    ['launch_presentation_return_url', new URL('/simulator?returned=1', publicBaseUrl).href],
  ];
}
