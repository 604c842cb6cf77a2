import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { hashId, sessionFromRow, type Session } from './session-store.ts';

/** Long enough for a redirect on a slow network; a code is used once, at once. */
const codeSeconds = 60;
const randomToken = () => randomBytes(32).toString('base64url');

/** What a workspace origin sends labgate's origin of its state cookie: a hash, never the cookie. */
export const hashState = hashId;

/**
 * Passes into a workspace served on its own origin. labgate's origin issues a code for (session,
 * workspace, the state cookie of the browser that asked); the workspace's origin redeems it once for a
 * cookie of its own, worth what the session is worth for as long as the session lasts.
 */
export function createWorkspacePassStore(db: Db, now: () => number = Date.now) {
  async function issueCode(o: { sessionId: string; workspaceId: string; stateHash: string }) {
    const code = randomToken();
    const t = now();
    await db
      .insertInto('workspace_passes')
      .values({
        id: randomUUID(),
        session_hash: hashId(o.sessionId),
        workspace_id: o.workspaceId,
        state_hash: o.stateHash,
        code_hash: hashId(code),
        code_expires_at: t + codeSeconds * 1000,
        cookie_hash: null,
        created_at: t,
      })
      .execute();
    return code;
  }

  /** The session behind one of these cookie values on this workspace's origin, while it lasts. */
  async function findPassSession(o: { passes: string[]; workspaceId: string }): Promise<Session | undefined> {
    if (o.passes.length === 0) return undefined;
    const row = await db
      .selectFrom('workspace_passes')
      .innerJoin('sessions', 'sessions.id_hash', 'workspace_passes.session_hash')
      .selectAll('sessions')
      .where('workspace_passes.cookie_hash', 'in', o.passes.map(hashId))
      .where('workspace_passes.workspace_id', '=', o.workspaceId)
      .where('sessions.expires_at', '>', now())
      .executeTakeFirst();
    return row && sessionFromRow(row);
  }

  /**
   * Trades a code for a cookie value: once, before it expires, for the workspace it was issued for,
   * in a browser holding the state it was issued to, while its session lasts.
   */
  async function redeemCode(o: { code: string; workspaceId: string; states: string[] }) {
    if (o.states.length === 0) return undefined;
    const pass = randomToken();
    const result = await db
      .updateTable('workspace_passes')
      .set({ code_hash: null, code_expires_at: null, cookie_hash: hashId(pass) })
      .where('code_hash', '=', hashId(o.code))
      .where('code_expires_at', '>', now())
      .where('workspace_id', '=', o.workspaceId)
      .where('state_hash', 'in', o.states.map(hashState))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    const session = await findPassSession({ passes: [pass], workspaceId: o.workspaceId });
    if (session) return { pass, session };
    await db.deleteFrom('workspace_passes').where('cookie_hash', '=', hashId(pass)).execute();
    return undefined;
  }

  /** At sign-out: every code and pass of this session, on every workspace origin, stops working now. */
  async function endPassesOf(sessionId: string) {
    await db.deleteFrom('workspace_passes').where('session_hash', '=', hashId(sessionId)).execute();
  }

  /** Codes never redeemed, and passes whose session ended. */
  async function forgetStalePasses() {
    const expired = await db
      .deleteFrom('workspace_passes')
      .where('code_hash', 'is not', null)
      .where('code_expires_at', '<', now())
      .executeTakeFirst();
    const orphaned = await db
      .deleteFrom('workspace_passes')
      .where('session_hash', 'not in', db.selectFrom('sessions').select('id_hash'))
      .executeTakeFirst();
    return Number(expired.numDeletedRows) + Number(orphaned.numDeletedRows);
  }

  return { issueCode, redeemCode, findPassSession, endPassesOf, forgetStalePasses };
}

export type WorkspacePassStore = ReturnType<typeof createWorkspacePassStore>;
