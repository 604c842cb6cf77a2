import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { LmsIdentity } from './user-store.ts';

const keyName = 'forge-pseudonyms';

/** The key, made once by whichever replica needs it first; every replica then reads the same one. */
async function ensureKey(db: Db, now: () => number): Promise<Buffer> {
  await db
    .insertInto('labgate_secrets')
    .values({ name: keyName, value: randomBytes(32).toString('base64url'), created_at: now() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('labgate_secrets')
    .select('value')
    .where('name', '=', keyName)
    .executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64url');
}

/**
 * Opaque, stable names for people: an HMAC of their LMS identity (consumer or platform, and the LMS's
 * user id) under a key only labgate holds, so that nobody can recompute one from an LMS id, nor read
 * the id or a name back from it. 32 hexadecimal characters, as the mooc-rr deployment used.
 */
export function createPseudonyms(db: Db, now: () => number = Date.now) {
  let key: Promise<Buffer> | undefined;
  return {
    async of(identity: LmsIdentity): Promise<string> {
      key ??= ensureKey(db, now).catch((err: unknown) => {
        key = undefined;
        throw err;
      });
      const who = JSON.stringify([identity.kind, identity.issuer, identity.clientId, identity.subject]);
      return createHmac('sha256', await key)
        .update(who)
        .digest('hex')
        .slice(0, 32);
    },
  };
}

export type Pseudonyms = ReturnType<typeof createPseudonyms>;
