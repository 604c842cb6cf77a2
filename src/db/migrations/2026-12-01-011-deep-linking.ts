import type { Kysely } from 'kysely';

// LTI 1.3 deep linking: what an LMS asked of labgate while the teacher picks an exercise. The return URL
// is a secret of the teacher's LMS session (Moodle puts its sesskey in it): kept here only, for an hour.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('lti13_deep_linking_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('course_id', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('deployment_id', 'text', (c) => c.notNull())
    .addColumn('return_url', 'text', (c) => c.notNull())
    .addColumn('targets', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('lti13_deep_linking_requests_expiry')
    .on('lti13_deep_linking_requests')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('lti13_deep_linking_requests').execute();
}
