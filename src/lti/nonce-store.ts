import type { Db } from '../db/index.ts';

/**
 * One-time nonces shared by every replica through the database. The insert is the decision: a row that
 * already exists means a replay. Errors propagate, so a database fault refuses the launch (fail closed).
 */
export function createNonceStore(db: Db, now: () => number = Date.now) {
  async function rememberNonce(consumerKey: string, timestamp: number, nonce: string, expiresAt: number) {
    const result = await db
      .insertInto('lti_nonces')
      .values({ consumer_key: consumerKey, timestamp, nonce, expires_at: expiresAt })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async function forgetExpiredNonces() {
    const result = await db.deleteFrom('lti_nonces').where('expires_at', '<', now()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  return { rememberNonce, forgetExpiredNonces };
}

export type NonceStore = ReturnType<typeof createNonceStore>;
