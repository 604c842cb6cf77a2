import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/index.ts';

export interface LoginState {
  nonce: string;
  platformId: string;
  targetLinkUri: string;
  browserHash: string;
}

const ttlMs = 10 * 60 * 1000;
export const hashBinding = (value: string) => createHash('sha256').update(value).digest('base64url');
const random = () => randomBytes(32).toString('base64url');

/** OIDC login state and nonce, kept server-side and usable once: a replayed state finds nothing. */
export function createLoginStateStore(db: Db, now: () => number = Date.now) {
  async function startLogin(o: { platformId: string; targetLinkUri: string }) {
    const state = random();
    const nonce = random();
    const binding = random();
    await db
      .insertInto('lti13_login_states')
      .values({
        state,
        nonce,
        platform_id: o.platformId,
        target_link_uri: o.targetLinkUri,
        browser_hash: hashBinding(binding),
        expires_at: now() + ttlMs,
      })
      .execute();
    return { state, nonce, binding };
  }

  /** Deletes and returns the state in one statement, so two posts of the same launch cannot both win. */
  async function consumeLogin(state: string): Promise<LoginState | undefined> {
    const row = await db
      .deleteFrom('lti13_login_states')
      .where('state', '=', state)
      .returningAll()
      .executeTakeFirst();
    if (!row || row.expires_at <= now()) return undefined;
    return {
      nonce: row.nonce,
      platformId: row.platform_id,
      targetLinkUri: row.target_link_uri,
      browserHash: row.browser_hash,
    };
  }

  async function forgetExpiredLogins() {
    const result = await db
      .deleteFrom('lti13_login_states')
      .where('expires_at', '<', now())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  return { startLogin, consumeLogin, forgetExpiredLogins };
}

export type LoginStateStore = ReturnType<typeof createLoginStateStore>;
