import type { Kysely } from 'kysely';

// What a launch asked for, kept so that a launch a restart interrupted can be resumed as it was asked.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('image', 'text').execute();
  await db.schema.alterTable('workspaces').addColumn('person_name', 'text').execute();
  await db.schema.alterTable('workspaces').addColumn('person_email', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['image', 'person_name', 'person_email'])
    await db.schema.alterTable('workspaces').dropColumn(column).execute();
}
