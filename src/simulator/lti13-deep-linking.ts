import { lti13Claims } from './lti13-claims.ts';
import type { SimulatedLaunch } from './lti11-launch.ts';

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
const dl = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

/**
 * The claims of an `LtiDeepLinkingRequest` as Moodle or Open edX send it (teacher.md §4.1): no resource
 * link, no custom parameters, and the settings naming where the answer goes.
 */
export function lti13DeepLinkingClaims(
  s: SimulatedLaunch,
  o: { base: string; deploymentId: string; nonce: string; returnUrl: string; data: string },
) {
  const {
    [`${lti}resource_link`]: _link,
    [`${lti}custom`]: _custom,
    ...claims
  } = lti13Claims(s, o) as Record<string, unknown>;
  const moodle = s.flavour === 'moodle';
  return {
    ...claims,
    [`${lti}message_type`]: 'LtiDeepLinkingRequest',
    [`${dl}deep_linking_settings`]: {
      deep_link_return_url: o.returnUrl,
      accept_types: moodle ? ['ltiResourceLink'] : ['ltiResourceLink', 'link', 'html', 'image'],
      accept_presentation_document_targets: moodle ? ['frame', 'iframe', 'window'] : ['iframe', 'window'],
      accept_multiple: true,
      auto_create: !moodle,
      ...(moodle ? { title: 'labgate', text: '' } : {}),
      data: o.data,
    },
  };
}
