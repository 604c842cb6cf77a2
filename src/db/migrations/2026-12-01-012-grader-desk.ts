import type { Kysely } from 'kysely';

// The grader's desk: where each learner's grade goes back to their LMS (stored at launch), a durable
// outbox of grades to send, graders' scores and comments (versioned rows: several graders at once), and
// the feedback released to learners (a FEEDBACK.md committed to each fork, retried until it lands).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('grade_targets')
    .addColumn('assignment_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('lms_key', 'text', (c) => c.notNull())
    .addColumn('resource_link_id', 'text', (c) => c.notNull())
    .addColumn('outcome_url', 'text')
    .addColumn('sourcedid', 'text')
    .addColumn('lti_user_id', 'text')
    .addColumn('ags_lineitems', 'text')
    .addColumn('ags_lineitem', 'text')
    .addColumn('ags_scopes', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('grade_targets_pk', ['assignment_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('grade_outbox')
    .addColumn('assignment_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('max_score', 'double precision', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('answer', 'text')
    .addColumn('scored_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('grade_outbox_pk', ['assignment_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('grade_outbox_due')
    .on('grade_outbox')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createTable('review_scores')
    .addColumn('assignment_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision')
    .addColumn('rubric', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('graded_by', 'text', (c) => c.notNull())
    .addColumn('graded_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('review_scores_pk', ['assignment_id', 'user_id', 'question_id'])
    .execute();
  await db.schema
    .createTable('review_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assignment_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('cell', 'text', (c) => c.notNull())
    .addColumn('line', 'integer')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('review_comments_learner')
    .on('review_comments')
    .columns(['assignment_id', 'user_id'])
    .execute();
  await db.schema.alterTable('assignments').addColumn('feedback_released_at', 'bigint').execute();
  await db.schema
    .createTable('feedback_deliveries')
    .addColumn('assignment_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('commit_sha', 'text')
    .addColumn('error', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('feedback_deliveries_pk', ['assignment_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('feedback_deliveries').execute();
  await db.schema.alterTable('assignments').dropColumn('feedback_released_at').execute();
  await db.schema.dropTable('review_comments').execute();
  await db.schema.dropTable('review_scores').execute();
  await db.schema.dropTable('grade_outbox').execute();
  await db.schema.dropTable('grade_targets').execute();
}
