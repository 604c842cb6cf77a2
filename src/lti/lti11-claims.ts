import { z } from 'zod';
import type { Consumer } from './consumer-store.ts';
import { readOutcomeService } from './grade-service.ts';
import type { Locale, VerifiedLaunch } from './launch.ts';
import { lmsDisplayName } from './lms-name.ts';
import { launchErrors, maxIdentifierLength } from './lti-errors.ts';
import { courseRoleFromLti11 } from './roles.ts';
import { returnUrlFor } from './return-url.ts';

const optionalText = z
  .string()
  .optional()
  .transform((s) => (s?.trim() ? s.trim() : undefined));

const lti11Fields = z.object({
  lti_message_type: z.string().default(''),
  lti_version: z.string().default(''),
  user_id: optionalText,
  resource_link_id: optionalText,
  resource_link_title: optionalText,
  roles: z.string().default(''),
  context_id: optionalText,
  context_title: optionalText,
  context_label: optionalText,
  lis_person_name_full: optionalText,
  lis_person_name_given: optionalText,
  lis_person_name_family: optionalText,
  lis_person_contact_email_primary: optionalText,
  launch_presentation_locale: optionalText,
  launch_presentation_return_url: optionalText,
  tool_consumer_info_product_family_code: optionalText,
  tool_consumer_instance_name: optionalText,
});

export const localeFrom = (tag: string | undefined): Locale | undefined =>
  tag ? (/^fr\b/i.test(tag) ? 'fr' : /^en\b/i.test(tag) ? 'en' : undefined) : undefined;

function personName(f: z.infer<typeof lti11Fields>) {
  const joined = [f.lis_person_name_given, f.lis_person_name_family].filter(Boolean).join(' ');
  return f.lis_person_name_full ?? (joined || undefined);
}

/** Reads the signed LTI 1.1 parameters into a launch; refuses what labgate cannot serve. */
export function readLti11Launch(consumer: Consumer, params: Map<string, string>): VerifiedLaunch {
  const f = lti11Fields.parse(Object.fromEntries(params));
  if (f.lti_message_type !== 'basic-lti-launch-request') {
    throw f.lti_message_type
      ? launchErrors.messageType(f.lti_message_type)
      : launchErrors.missing('lti_message_type');
  }
  if (f.lti_version !== 'LTI-1p0' && f.lti_version !== 'LTI-1p2') {
    throw f.lti_version ? launchErrors.ltiVersion(f.lti_version) : launchErrors.missing('lti_version');
  }
  if (!f.user_id) throw launchErrors.missing('user_id');
  if (!f.resource_link_id) throw launchErrors.missing('resource_link_id');
  for (const [name, value] of [
    ['user_id', f.user_id],
    ['resource_link_id', f.resource_link_id],
    ['context_id', f.context_id],
  ]) {
    if (value && value.length > maxIdentifierLength) throw launchErrors.tooLong(name!, maxIdentifierLength);
  }

  const lmsName = lmsDisplayName(
    f.tool_consumer_info_product_family_code,
    f.tool_consumer_instance_name,
    consumer.name,
  );
  const role = courseRoleFromLti11(f.roles);
  // Only a learner's grade goes back; staff launches of a graded link carry a service too (Moodle).
  const grades =
    role === 'learner'
      ? readOutcomeService(
          params.get('lis_outcome_service_url'),
          params.get('lis_result_sourcedid'),
          consumer.allowedOrigin,
        )
      : {};
  const custom = Object.fromEntries(
    [...params].filter(([k]) => k.startsWith('custom_')).map(([k, v]) => [k.slice('custom_'.length), v]),
  );
  return {
    version: '1.1',
    identity: { kind: 'lti11', issuer: consumer.key, clientId: '', subject: f.user_id },
    lmsKey: `lti11:${consumer.key}`,
    lmsName,
    person: { name: personName(f), email: f.lis_person_contact_email_primary },
    // Without a context the resource link stands for the course, so the launch still has a home.
    context: {
      id: f.context_id ?? `resource:${f.resource_link_id}`,
      title: f.context_title ?? f.resource_link_title ?? f.context_id ?? f.resource_link_id,
      label: f.context_label,
    },
    resourceLink: { id: f.resource_link_id, title: f.resource_link_title },
    role,
    locale: localeFrom(f.launch_presentation_locale),
    returnUrl: returnUrlFor(f.launch_presentation_return_url, consumer.allowedOrigin),
    custom,
    ...(grades.service ? { gradeService: grades.service } : {}),
    ...(grades.problem ? { gradeServiceProblem: grades.problem } : {}),
  };
}
