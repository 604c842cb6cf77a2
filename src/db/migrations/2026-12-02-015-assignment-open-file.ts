import type { Kysely } from 'kysely';

// The file learners land in, named by the teacher when publishing (a link's custom_open still wins).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('assignments').addColumn('open_file', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('assignments').dropColumn('open_file').execute();
}
