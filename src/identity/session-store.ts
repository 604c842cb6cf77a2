import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/index.ts';

export interface Session {
  userId: string;
  courseId: string | undefined;
  role: string | undefined;
  /** Which LMS and course the session came from, as shown to the person. */
  via: string;
  locale: string;
  csrfToken: string;
  returnUrl: string | undefined;
  expiresAt: number;
}

// Only a hash of the cookie value is stored: a database leak yields no usable session.
const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');
const randomToken = () => randomBytes(32).toString('base64url');

export function createSessionStore(db: Db, now: () => number = Date.now) {
  async function startSession(o: Omit<Session, 'csrfToken' | 'expiresAt'> & { ttlSeconds: number }) {
    const id = randomToken();
    const csrfToken = randomToken();
    const t = now();
    await db
      .insertInto('sessions')
      .values({
        id_hash: hashId(id),
        user_id: o.userId,
        course_id: o.courseId ?? null,
        role: o.role ?? null,
        via: o.via,
        locale: o.locale,
        csrf_token: csrfToken,
        return_url: o.returnUrl ?? null,
        created_at: t,
        expires_at: t + o.ttlSeconds * 1000,
      })
      .execute();
    return { id, csrfToken };
  }

  async function findSession(id: string): Promise<Session | undefined> {
    const row = await db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', hashId(id))
      .where('expires_at', '>', now())
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      userId: row.user_id,
      courseId: row.course_id ?? undefined,
      role: row.role ?? undefined,
      via: row.via,
      locale: row.locale,
      csrfToken: row.csrf_token,
      returnUrl: row.return_url ?? undefined,
      expiresAt: row.expires_at,
    };
  }

  const endSession = (id: string) => db.deleteFrom('sessions').where('id_hash', '=', hashId(id)).execute();

  async function forgetExpiredSessions() {
    const result = await db.deleteFrom('sessions').where('expires_at', '<', now()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  return { startSession, findSession, endSession, forgetExpiredSessions };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
