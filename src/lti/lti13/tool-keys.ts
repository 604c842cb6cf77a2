import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Db } from '../../db/index.ts';

/**
 * labgate's own RS256 signing keys (for deep-linking responses and service tokens), made on first
 * start; the public halves are published at /.well-known/jwks.json. Private keys never leave the DB.
 */
export function createToolKeys(db: Db, now: () => number = Date.now) {
  async function ensureToolKey(): Promise<void> {
    const existing = await db.selectFrom('tool_keys').select('kid').limit(1).executeTakeFirst();
    if (existing) return;
    const kid = randomUUID();
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const meta = { kid, alg: 'RS256', use: 'sig' };
    await db
      .insertInto('tool_keys')
      .values({
        kid,
        public_jwk: JSON.stringify({ ...(await exportJWK(publicKey)), ...meta }),
        private_jwk: JSON.stringify({ ...(await exportJWK(privateKey)), ...meta }),
        created_at: now(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async function publicJwks(): Promise<{ keys: JWK[] }> {
    const rows = await db.selectFrom('tool_keys').select('public_jwk').orderBy('created_at').execute();
    return { keys: rows.map((r) => JSON.parse(r.public_jwk) as JWK) };
  }

  /** The newest key, which signs what labgate sends (its kid goes in the JWT header). */
  async function signingKey(): Promise<{ kid: string; key: CryptoKey }> {
    const row = await db
      .selectFrom('tool_keys')
      .select(['kid', 'private_jwk'])
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow(() => new Error('labgate has no signing key yet (ensureToolKey)'));
    const key = await importJWK(JSON.parse(row.private_jwk) as JWK, 'RS256');
    return { kid: row.kid, key: key as CryptoKey };
  }

  return { ensureToolKey, publicJwks, signingKey };
}

export type ToolKeys = ReturnType<typeof createToolKeys>;
