import type { Kysely } from 'kysely';

// The teacher's console: an assignment's workspace image and late policy, per-learner extensions, the
// forge's push ledger (server times from push hooks and the events API), each fork's state against the
// template, and the commit each learner submitted at their deadline.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('assignments').addColumn('image', 'text').execute();
  await db.schema
    .alterTable('assignments')
    .addColumn('late_policy', 'text', (c) => c.notNull().defaultTo('accept'))
    .execute();
  await db.schema
    .createTable('assignment_extensions')
    .addColumn('assignment_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('deadline', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('assignment_extensions_pk', ['assignment_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('forge_pushes')
    .addColumn('event_key', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'integer', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('before_sha', 'text')
    .addColumn('after_sha', 'text')
    .addColumn('pushed_at', 'bigint', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('forge_pushes_project')
    .on('forge_pushes')
    .columns(['project_id', 'pushed_at'])
    .execute();
  await db.schema
    .createTable('fork_states')
    .addColumn('assignment_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('fork_id', 'integer', (c) => c.notNull())
    .addColumn('fork_sha', 'text')
    .addColumn('template_sha', 'text')
    .addColumn('ahead', 'integer')
    .addColumn('behind', 'integer')
    .addColumn('conflicts', 'text')
    .addColumn('checked_at', 'bigint')
    .addColumn('update_status', 'text')
    .addColumn('update_message', 'text')
    .addColumn('updated_at', 'bigint')
    .addColumn('merged_sha', 'text')
    .addPrimaryKeyConstraint('fork_states_pk', ['assignment_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('submissions')
    .addColumn('assignment_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('fork_id', 'integer', (c) => c.notNull())
    .addColumn('deadline', 'bigint', (c) => c.notNull())
    .addColumn('commit_sha', 'text')
    .addColumn('pushed_at', 'bigint')
    .addColumn('tag', 'text')
    .addColumn('locked_at', 'bigint')
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addColumn('late_sha', 'text')
    .addColumn('late_pushed_at', 'bigint')
    .addPrimaryKeyConstraint('submissions_pk', ['assignment_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('submissions').execute();
  await db.schema.dropTable('fork_states').execute();
  await db.schema.dropTable('forge_pushes').execute();
  await db.schema.dropTable('assignment_extensions').execute();
  await db.schema.alterTable('assignments').dropColumn('late_policy').execute();
  await db.schema.alterTable('assignments').dropColumn('image').execute();
}
