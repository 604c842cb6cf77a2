import type { Kysely } from 'kysely';

// The file the learner lands in (the LMS link's choice, else the template's first notebook), found at launch.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('open_path', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('open_path').execute();
}
