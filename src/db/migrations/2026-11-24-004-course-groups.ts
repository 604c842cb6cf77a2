import type { Kysely } from 'kysely';

// The GitLab group each course got at its first provisioning: kept, so a renamed course keeps its group.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('forge_course_groups')
    .addColumn('course_id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'integer', (c) => c.notNull())
    .addColumn('full_path', 'text', (c) => c.notNull())
    .addColumn('web_url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('forge_course_groups').execute();
}
