import { createHash, randomBytes } from 'node:crypto';
import type { Db, Lti13DeepLinkingRequestRow } from '../../db/index.ts';
import type { DeepLinkingAnswer } from './deep-linking-response.ts';
import { lti13Errors } from './lti13-errors.ts';

/** A deep-linking request waiting for its teacher's pick. */
export interface PendingDeepLink extends DeepLinkingAnswer {
  id: string;
  userId: string;
  courseId: string;
  /** Secret (Moodle's sesskey is in it): for the answer's form only. */
  returnUrl: string;
  expiresAt: number;
}

/** Long enough to publish a new exercise on the course page and come back to the picker. */
export const deepLinkTtlMs = 60 * 60 * 1000;
const hash = (sessionId: string) => createHash('sha256').update(sessionId).digest('base64url');

const toPending = (r: Lti13DeepLinkingRequestRow): PendingDeepLink => ({
  id: r.id,
  userId: r.user_id,
  courseId: r.course_id,
  issuer: r.issuer,
  clientId: r.client_id,
  deploymentId: r.deployment_id,
  returnUrl: r.return_url,
  targets: JSON.parse(r.targets) as string[],
  data: r.data === null ? undefined : (JSON.parse(r.data) as unknown),
  expiresAt: r.expires_at,
});

/** Deep-linking requests kept server-side, under a random id that only the session that received it can use. */
export function createDeepLinkStore(db: Db, now: () => number = Date.now) {
  async function savePendingDeepLink(
    o: Omit<PendingDeepLink, 'id' | 'expiresAt'> & { sessionId: string },
  ): Promise<PendingDeepLink> {
    const id = randomBytes(32).toString('base64url');
    const t = now();
    const row: Lti13DeepLinkingRequestRow = {
      id,
      session_hash: hash(o.sessionId),
      user_id: o.userId,
      course_id: o.courseId,
      issuer: o.issuer,
      client_id: o.clientId,
      deployment_id: o.deploymentId,
      return_url: o.returnUrl,
      targets: JSON.stringify(o.targets),
      data: o.data === undefined ? null : JSON.stringify(o.data),
      created_at: t,
      expires_at: t + deepLinkTtlMs,
    };
    await db.insertInto('lti13_deep_linking_requests').values(row).execute();
    return toPending(row);
  }

  /** The request, for this session and not expired; refused alike when unknown, expired or another's. */
  async function getPendingDeepLink(id: string, sessionId: string): Promise<PendingDeepLink> {
    const row = await db
      .selectFrom('lti13_deep_linking_requests')
      .selectAll()
      .where('id', '=', id)
      .where('session_hash', '=', hash(sessionId))
      .where('expires_at', '>', now())
      .executeTakeFirst();
    if (!row) throw lti13Errors.deepLinkingGone();
    return toPending(row);
  }

  /** Deletes and returns it in one statement: one answer per request, even to two clicks at once. */
  async function takePendingDeepLink(id: string, sessionId: string): Promise<PendingDeepLink> {
    const row = await db
      .deleteFrom('lti13_deep_linking_requests')
      .where('id', '=', id)
      .where('session_hash', '=', hash(sessionId))
      .returningAll()
      .executeTakeFirst();
    if (!row || row.expires_at <= now()) throw lti13Errors.deepLinkingGone();
    return toPending(row);
  }

  async function forgetExpiredDeepLinks() {
    const result = await db
      .deleteFrom('lti13_deep_linking_requests')
      .where('expires_at', '<', now())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  return { savePendingDeepLink, getPendingDeepLink, takePendingDeepLink, forgetExpiredDeepLinks };
}

export type DeepLinkStore = ReturnType<typeof createDeepLinkStore>;
