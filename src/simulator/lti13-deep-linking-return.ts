import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';

const lti = <N extends string>(name: N) => `https://purl.imsglobal.org/spec/lti/claim/${name}` as const;
const dl = <N extends string>(name: N) => `https://purl.imsglobal.org/spec/lti-dl/claim/${name}` as const;

// What Open edX's serializer accepts (teacher.md §4.3): title ≤ 255, url ≤ 500, custom values as text.
const contentItem = z.object({
  type: z.string(),
  title: z.string().max(255).optional(),
  text: z.string().optional(),
  url: z.string().max(500).optional(),
  custom: z.record(z.string(), z.string()).optional(),
  // The LMS makes a gradebook column for the link (https://www.imsglobal.org/spec/lti-dl/v2p0#lti-resource-link).
  lineItem: z
    .object({
      scoreMaximum: z.number().positive(),
      label: z.string().max(255).optional(),
      resourceId: z.string().max(255).optional(),
      tag: z.string().max(255).optional(),
    })
    .optional(),
});

const responseClaims = z.object({
  [lti('message_type')]: z.literal('LtiDeepLinkingResponse'),
  [lti('version')]: z.literal('1.3.0'),
  [lti('deployment_id')]: z.string(),
  [dl('content_items')]: z.array(contentItem),
  [dl('data')]: z.unknown().optional(),
});

export type VerifiedContentItem = z.infer<typeof contentItem>;

export type DeepLinkingReturn =
  | { ok: true; deploymentId: string; items: VerifiedContentItem[]; data: unknown }
  | { ok: false; why: string };

/**
 * Checks a tool's `LtiDeepLinkingResponse` as an LMS does: its signature against the tool's published
 * key set (fetched over HTTP, as Moodle reads a tool's "public keyset" URL), its issuer (the tool's
 * client id), audience, expiry and message type.
 */
export function createDeepLinkingReturnCheck(o: { toolJwksUrl: string; clientId: string; issuer: string }) {
  const keys = createRemoteJWKSet(new URL(o.toolJwksUrl), { cooldownDuration: 0 });
  return async function checkDeepLinkingReturn(jwt: string): Promise<DeepLinkingReturn> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(jwt, keys, {
        algorithms: ['RS256'],
        issuer: o.clientId,
        audience: o.issuer,
        requiredClaims: ['iat', 'exp', 'nonce'],
      }));
    } catch (err) {
      return { ok: false, why: `the JWT does not verify: ${(err as Error).message}` };
    }
    const parsed = responseClaims.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, why: `the claim ${issue.path.join('.')} is not right (${issue.message})` };
    }
    const c = parsed.data;
    return {
      ok: true,
      deploymentId: c[lti('deployment_id')],
      items: c[dl('content_items')],
      data: c[dl('data')],
    };
  };
}
