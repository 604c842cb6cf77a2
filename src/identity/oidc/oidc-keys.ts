import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Db } from '../../db/index.ts';

const cookieKeyPrefix = 'cookie-secret-';
const dayMs = 86_400_000;

/**
 * The provider's signing keys. The newest signs; older ones stay published in the JWKS for
 * `keepDays` so tokens and caches (GitLab keeps the JWKS) made with them still verify. A key older
 * than `rotateDays` is replaced at start; `rotate()` replaces it at once (effective at next start).
 */
export function createOidcKeys(db: Db, o: { rotateDays: number; keepDays: number }, now = Date.now) {
  async function addSigningKey() {
    const kid = randomUUID();
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
    await db
      .insertInto('oidc_keys')
      .values({ kid, private_jwk: JSON.stringify(jwk), created_at: now() })
      .execute();
    return kid;
  }

  async function signingRows() {
    return (await db.selectFrom('oidc_keys').selectAll().orderBy('created_at', 'desc').execute()).filter(
      (r) => !r.kid.startsWith(cookieKeyPrefix),
    );
  }

  return {
    /** The private keys to give oidc-provider: the newest first (it signs), then the published older ones. */
    async signingKeys(): Promise<JWK[]> {
      let rows = await signingRows();
      if (rows.length === 0 || now() - rows[0]!.created_at > o.rotateDays * dayMs) {
        await addSigningKey();
        rows = await signingRows();
      }
      const newest = rows[0]!.created_at;
      return rows
        .filter((r, i) => i === 0 || newest - r.created_at < o.keepDays * dayMs)
        .map((r) => JSON.parse(r.private_jwk) as JWK);
    },
    rotate: addSigningKey,
    async list() {
      return (await signingRows()).map((r) => ({ kid: r.kid, createdAt: r.created_at }));
    },
    /** Secrets that sign the provider's cookies; made once. */
    async cookieSecrets(): Promise<string[]> {
      const rows = await db
        .selectFrom('oidc_keys')
        .selectAll()
        .where('kid', 'like', `${cookieKeyPrefix}%`)
        .orderBy('created_at', 'desc')
        .execute();
      if (rows.length > 0) return rows.map((r) => r.private_jwk);
      const secret = randomBytes(32).toString('base64url');
      await db
        .insertInto('oidc_keys')
        .values({ kid: `${cookieKeyPrefix}${randomUUID()}`, private_jwk: secret, created_at: now() })
        .execute();
      return [secret];
    },
  };
}

export type OidcKeys = ReturnType<typeof createOidcKeys>;
