import { createHash, randomBytes } from 'node:crypto';
import type { Db, SessionRow } from '../db/index.ts';

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
export const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');
const randomToken = () => randomBytes(32).toString('base64url');
const handoffSeconds = 300;

export const sessionFromRow = (row: SessionRow): Session => ({
  userId: row.user_id,
  courseId: row.course_id ?? undefined,
  role: row.role ?? undefined,
  via: row.via,
  locale: row.locale,
  csrfToken: row.csrf_token,
  returnUrl: row.return_url ?? undefined,
  expiresAt: row.expires_at,
});

export function createSessionStore(db: Db, now: () => number = Date.now) {
  // This process's caches of sessions (the workspace proxy's) hear at once of a session that ends here.
  const ended = new Set<(id: string | undefined) => void>();
  const announceEnd = (id: string | undefined) => ended.forEach((listener) => listener(id));
  /** `listener(id)` once session `id` ended; `listener(undefined)` once some session's id changed. */
  const onEnded = (listener: (id: string | undefined) => void) => {
    ended.add(listener);
    return () => void ended.delete(listener);
  };

  async function startSession(o: Omit<Session, 'csrfToken' | 'expiresAt'> & { ttlSeconds: number }) {
    const id = randomToken();
    const csrfToken = randomToken();
    const handoff = randomToken();
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
        handoff_hash: hashId(handoff),
        handoff_expires_at: t + handoffSeconds * 1000,
      })
      .execute();
    return { id, csrfToken, handoff };
  }

  async function findSession(id: string): Promise<Session | undefined> {
    const row = await db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', hashId(id))
      .where('expires_at', '>', now())
      .executeTakeFirst();
    return row && sessionFromRow(row);
  }

  /** The cookie arrived: the handoff is no longer needed and must not stay usable. */
  const dropHandoff = (id: string) =>
    db
      .updateTable('sessions')
      .set({ handoff_hash: null, handoff_expires_at: null })
      .where('id_hash', '=', hashId(id))
      .execute();

  /**
   * Trades a handoff (once, within 5 minutes) for a new session id: the session moves to the tab that
   * could keep a cookie, and the id the blocked iframe got stops working.
   */
  async function redeemHandoff(handoff: string): Promise<string | undefined> {
    const id = randomToken();
    const t = now();
    const result = await db
      .updateTable('sessions')
      .set({ id_hash: hashId(id), handoff_hash: null, handoff_expires_at: null })
      .where('handoff_hash', '=', hashId(handoff))
      .where('handoff_expires_at', '>', t)
      .where('expires_at', '>', t)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    announceEnd(undefined); // the id the blocked iframe got
    return id;
  }

  async function endSession(id: string) {
    try {
      await db.deleteFrom('sessions').where('id_hash', '=', hashId(id)).execute();
    } finally {
      announceEnd(id);
    }
  }

  async function forgetExpiredSessions() {
    const result = await db.deleteFrom('sessions').where('expires_at', '<', now()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  return {
    startSession,
    findSession,
    endSession,
    onEnded,
    dropHandoff,
    redeemHandoff,
    forgetExpiredSessions,
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
