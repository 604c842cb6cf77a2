import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../../db/index.ts';

/**
 * oidc-provider's storage in labgate's database, so that codes, tokens and sign-in sessions survive
 * a restart and are shared by replicas. Clients come from the `oidc_clients` table (the CLI registers them).
 */
export function recordAdapter(db: Db, now: () => number = Date.now) {
  return class OidcRecords implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      const row = {
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        expires_at: expiresIn ? now() + expiresIn * 1000 : null,
      };
      await db
        .insertInto('oidc_records')
        .values({ model: this.model, id, consumed_at: null, ...row })
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(row))
        .execute();
    }

    private async findWhere(column: 'id' | 'uid' | 'user_code', value: string) {
      if (this.model === 'Client' && column === 'id') {
        const client = await db
          .selectFrom('oidc_clients')
          .select('metadata')
          .where('client_id', '=', value)
          .executeTakeFirst();
        return client ? (JSON.parse(client.metadata) as AdapterPayload) : undefined;
      }
      const row = await db
        .selectFrom('oidc_records')
        .selectAll()
        .where('model', '=', this.model)
        .where(column, '=', value)
        .executeTakeFirst();
      if (!row || (row.expires_at !== null && row.expires_at <= now())) return undefined;
      const payload = JSON.parse(row.payload) as AdapterPayload;
      return row.consumed_at !== null
        ? { ...payload, consumed: Math.floor(row.consumed_at / 1000) }
        : payload;
    }

    find(id: string) {
      return this.findWhere('id', id);
    }

    findByUid(uid: string) {
      return this.findWhere('uid', uid);
    }

    findByUserCode(userCode: string) {
      return this.findWhere('user_code', userCode);
    }

    async consume(id: string) {
      await db
        .updateTable('oidc_records')
        .set({ consumed_at: now() })
        .where('model', '=', this.model)
        .where('id', '=', id)
        .execute();
    }

    async destroy(id: string) {
      await db.deleteFrom('oidc_records').where('model', '=', this.model).where('id', '=', id).execute();
    }

    // Called once per token model: an interaction naming the grant stays (a sign-out mid-sign-in resumes it).
    async revokeByGrantId(grantId: string) {
      await db
        .deleteFrom('oidc_records')
        .where('model', '=', this.model)
        .where('grant_id', '=', grantId)
        .execute();
    }
  };
}

/** Deletes records past their expiry; run now and then (the provider never reads them anyway). */
export async function forgetExpiredOidcRecords(db: Db, now: () => number = Date.now) {
  await db.deleteFrom('oidc_records').where('expires_at', '<', now()).execute();
}
