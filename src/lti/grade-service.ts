import { z } from 'zod';
import { isXmlText } from './pox-xml.ts';

/** Where the LMS takes this learner's grade back: LTI 1.1 Basic Outcomes, or LTI 1.3 AGS. */
export type GradeService =
  | { kind: 'outcomes'; serviceUrl: string; sourcedId: string }
  | { kind: 'ags'; scopes: string[]; lineitems?: string; lineitem?: string };

/** What a launch said about its grade service: one to use, nothing, or why what it sent was ignored. */
export interface GradeServiceReading {
  service?: GradeService;
  problem?: string;
}

export const agsEndpointClaim = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const scopeBase = 'https://purl.imsglobal.org/spec/lti-ags/scope/';
export const agsScopes = {
  lineitem: `${scopeBase}lineitem`,
  lineitemReadonly: `${scopeBase}lineitem.readonly`,
  resultReadonly: `${scopeBase}result.readonly`,
  score: `${scopeBase}score`,
} as const;

export const maxSourcedIdLength = 1024;
export const maxServiceUrlLength = 2048;

// What XML 1.0 cannot carry (NUL, most C0 controls, unpaired surrogates), nor PostgreSQL text (NUL).
const unsafeText = (s: string) => !isXmlText(s) || s.includes('\x7f');

/** Why a service URL cannot be used, or undefined when it can (never quotes it: its query may be secret). */
export function serviceUrlProblem(value: string): string | undefined {
  if (value.length > maxServiceUrlLength) return `longer than ${maxServiceUrlLength} characters`;
  if (unsafeText(value) || /\s/.test(value)) return 'it contains spaces or control characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `its scheme is ${url.protocol}, not http(s)`;
  if (url.username || url.password) return 'it carries a user name or password';
  return undefined;
}

/** An address to show or log: origin and path, never the query (some LMSs put credentials there). */
export const shownUrl = (value: string): string => {
  try {
    const url = new URL(value);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '(not a URL)';
  }
};

/**
 * `lis_outcome_service_url` + `lis_result_sourcedid`: both, or no service (an ungraded activity sends
 * one without the other). Malformed values are ignored with a reason, the launch goes on. When the
 * consumer has a registered origin the service must be there: a passport holder (any course's staff in
 * Open edX) could otherwise point labgate's signed POSTs at any address (lti.md §9.4).
 * @see https://www.imsglobal.org/spec/lti-bo/v1p1/
 */
export function readOutcomeService(
  serviceUrl: string | undefined,
  sourcedId: string | undefined,
  allowedOrigin?: string | undefined,
): GradeServiceReading {
  if (!serviceUrl?.trim() || !sourcedId?.trim()) return {};
  const url = serviceUrl.trim();
  const urlProblem = serviceUrlProblem(url);
  if (urlProblem) return { problem: `lis_outcome_service_url ignored: ${urlProblem}` };
  if (allowedOrigin && new URL(url).origin !== originOf(allowedOrigin))
    return {
      problem: `lis_outcome_service_url ignored: it is not on the LMS's registered origin ${allowedOrigin}`,
    };
  if (sourcedId.length > maxSourcedIdLength)
    return { problem: `lis_result_sourcedid ignored: longer than ${maxSourcedIdLength} characters` };
  if (unsafeText(sourcedId))
    return { problem: 'lis_result_sourcedid ignored: it contains control characters' };
  return { service: { kind: 'outcomes', serviceUrl: url, sourcedId } };
}

const originOf = (value: string) => {
  try {
    return new URL(value).origin;
  } catch {
    return value;
  }
};

const endpointClaim = z.object({
  scope: z.array(z.string().max(200)).max(20),
  lineitems: z.string().optional(),
  lineitem: z.string().optional(),
});

/**
 * The AGS endpoint claim `{scope[], lineitems?, lineitem?}`. Without a claim there is no service; a
 * malformed one is ignored with a reason, the launch goes on.
 * @see https://www.imsglobal.org/spec/lti-ags/v2p0#assignment-and-grade-service-claim
 */
export function readAgsEndpoint(claim: unknown): GradeServiceReading {
  if (claim === undefined || claim === null) return {};
  const parsed = endpointClaim.safeParse(claim);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      problem: `the AGS claim ignored: ${issue.path.join('.') || 'it'} is malformed (${issue.message})`,
    };
  }
  const c = parsed.data;
  for (const name of ['lineitems', 'lineitem'] as const) {
    const value = c[name];
    const problem = value === undefined ? undefined : serviceUrlProblem(value);
    if (problem) return { problem: `the AGS claim ignored: its ${name} URL is unusable (${problem})` };
  }
  if (!c.lineitems && !c.lineitem)
    return { problem: 'the AGS claim ignored: it names no line item nor container' };
  const scopes = [...new Set(c.scope.map((s) => s.trim()).filter(Boolean))];
  return {
    service: {
      kind: 'ags',
      scopes,
      ...(c.lineitems ? { lineitems: c.lineitems } : {}),
      ...(c.lineitem ? { lineitem: c.lineitem } : {}),
    },
  };
}
