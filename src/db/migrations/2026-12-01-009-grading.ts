import type { Kysely } from 'kysely';

// Grading: each assignment's private grading repository, and durable grading jobs with their results
// per question (one job per submission commit and grading commit: grading again is idempotent).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('assignments').addColumn('grading_repo', 'text').execute();
  await db.schema.alterTable('assignments').addColumn('deadline', 'bigint').execute();
  await db.schema
    .createTable('grading_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_key', 'text', (c) => c.notNull().unique())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('assignment_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('fork_id', 'integer', (c) => c.notNull())
    .addColumn('submission_commit', 'text', (c) => c.notNull())
    .addColumn('grading_commit', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('score', 'double precision')
    .addColumn('max_score', 'double precision')
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('grading_jobs_run').on('grading_jobs').columns(['run_id', 'status']).execute();
  await db.schema
    .createTable('grading_results')
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('max_score', 'double precision', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('checks', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('grading_results_pk', ['job_id', 'question_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('grading_results').execute();
  await db.schema.dropTable('grading_jobs').execute();
  await db.schema.alterTable('assignments').dropColumn('deadline').execute();
  await db.schema.alterTable('assignments').dropColumn('grading_repo').execute();
}
