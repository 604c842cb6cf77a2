import { z } from 'zod';
import { lti13Errors } from './lti13-errors.ts';

export const deepLinkingSettingsClaim = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';

/** What the LMS asked for in an `LtiDeepLinkingRequest`, as labgate uses it. */
export interface DeepLinkingSettings {
  /** Where the answer is posted. A secret of the teacher's LMS session: never logged, never in a URL. */
  returnUrl: string;
  acceptTypes: string[];
  /** accept_presentation_document_targets: `iframe`, `window`, `embed`… */
  targets: string[];
  /** Opaque; echoed unchanged in the answer when present. */
  data: unknown;
}

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https, or http on this machine only (the LMS simulator): a token posted in clear text is a grade. */
const returnUrl = z
  .string()
  .max(4096)
  .refine((s) => URL.canParse(s), 'it is not an absolute URL')
  .refine((s) => {
    const url = new URL(s);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback.has(url.hostname));
  }, 'it must use https:// (http:// only on localhost)');

const settings = z.object({
  deep_link_return_url: returnUrl,
  accept_types: z.array(z.string()),
  accept_presentation_document_targets: z.array(z.string()).optional(),
  data: z.unknown().optional(),
});

/** Reads the deep_linking_settings claim; its return URL is never quoted in an error. */
export function readDeepLinkingSettings(claim: unknown): DeepLinkingSettings {
  if (claim === undefined) throw lti13Errors.deepLinking('its deep_linking_settings claim is missing');
  const parsed = settings.safeParse(claim);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || 'deep_linking_settings';
    throw lti13Errors.deepLinking(`its setting ${where} is missing or malformed (${issue.message})`);
  }
  const s = parsed.data;
  if (!s.accept_types.includes('ltiResourceLink')) throw lti13Errors.deepLinkingTypes(s.accept_types);
  return {
    returnUrl: s.deep_link_return_url,
    acceptTypes: s.accept_types,
    targets: s.accept_presentation_document_targets ?? [],
    data: s.data,
  };
}
