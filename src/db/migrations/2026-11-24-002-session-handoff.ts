import type { Kysely } from 'kysely';

// A one-time, short-lived handoff lets a launch that lost its cookie in an LMS iframe continue in a new tab.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('handoff_hash', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('handoff_expires_at', 'bigint').execute();
  await db.schema.createIndex('sessions_handoff').on('sessions').column('handoff_hash').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sessions_handoff').execute();
  await db.schema.alterTable('sessions').dropColumn('handoff_expires_at').execute();
  await db.schema.alterTable('sessions').dropColumn('handoff_hash').execute();
}
