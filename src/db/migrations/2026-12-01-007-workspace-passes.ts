import type { Kysely } from 'kysely';

// A workspace on its own origin gets its own cookie: a one-time code issued on labgate's origin,
// redeemed on the workspace's, becomes a pass bound to the session and the workspace. Only hashes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workspace_passes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_hash', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('state_hash', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text')
    .addColumn('code_expires_at', 'bigint')
    .addColumn('cookie_hash', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('workspace_passes_code').on('workspace_passes').column('code_hash').execute();
  await db.schema
    .createIndex('workspace_passes_cookie')
    .on('workspace_passes')
    .column('cookie_hash')
    .execute();
  await db.schema
    .createIndex('workspace_passes_session')
    .on('workspace_passes')
    .column('session_hash')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('workspace_passes').execute();
}
