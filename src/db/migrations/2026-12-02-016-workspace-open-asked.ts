import type { Kysely } from 'kysely';

// The files a launch asked to open (the link's, the assignment's), kept so that a resumed launch asks too.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('open_asked', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('open_asked').execute();
}
