import type { Kysely } from 'kysely';

// Secrets labgate makes for itself and keeps for good (the key of pseudonymous forge usernames):
// in the database, so that every replica and a restored backup derive the same names.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('labgate_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('labgate_secrets').execute();
}
