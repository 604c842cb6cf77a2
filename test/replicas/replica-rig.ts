import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDatabase, type Db } from '../../src/db/index.ts';
import { verifyOutcomeRequest } from '../../src/lti/index.ts';
import { signLti11Launch } from '../../src/simulator/index.ts';
import { poxResponse } from '../passback/lms-receivers.ts';
import { rootToken, startTestGitlab } from '../support/gitlab-lite.ts';
import { formEncode, testBaseUrl } from '../support/test-app.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { eventually } from './replicas.ts';

export const lms = { key: 'moodle-1', secret: 'moodle-secret-0123456789abcdef' };

/**
 * An LMS outcome service that verifies each grade as an LMS must, takes `delayMs` to answer (so that a
 * delivery round lasts), and keeps what it received.
 */
export async function startSlowLms(delayMs: number) {
  const server = Fastify({ forceCloseConnections: true });
  server.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const received: Array<{ sourcedId: string; score: string }> = [];
  let base = '';
  server.post('/outcomes', async (request, reply) => {
    const grade = await verifyOutcomeRequest({
      method: request.method,
      url: `${base}${request.url}`,
      headers: request.headers,
      body: request.body as Buffer,
      secretFor: (key) => (key === lms.key ? lms.secret : undefined),
      rememberNonce: () => true,
    });
    received.push({ sourcedId: grade.sourcedId, score: grade.scoreText });
    await new Promise((r) => setTimeout(r, delayMs));
    return reply
      .type('application/xml')
      .send(poxResponse('success', `Score for ${grade.sourcedId} is now ${grade.scoreText}`));
  });
  base = await server.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${base}/outcomes`, received, close: () => server.close() };
}

/**
 * Two labgate replicas on one database, each with its own pool (its own connections, as two processes
 * have), one gitlab-lite, an LTI 1.1 course with the assignment `ex1` (late pushes locked out), rounds
 * driven by the test. Their logs are kept.
 */
export async function startReplicas() {
  const gitlab = await startTestGitlab();
  const teachers = await gitlab.api.Groups.create('Teachers', 'teachers');
  await gitlab.api.Projects.create({
    name: 'ex1',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  const database = await openTestDatabase();
  const config = loadConfig('demo', {
    PUBLIC_BASE_URL: testBaseUrl,
    SIMULATOR: 'off',
    LOG_LEVEL: 'info',
    EMBEDDED_FORGE: 'off',
    FORGE_URL: gitlab.lite.url,
    FORGE_TOKEN: rootToken,
  });
  const replica = async (db: Db) => {
    let logs = '';
    const stream = new PassThrough().on('data', (chunk: Buffer) => (logs += chunk.toString()));
    const app = await buildApp(config, { db, upkeep: false, logStream: stream });
    return { app, db, logs: () => logs };
  };
  const a = await replica(database.db);
  const b = await replica(createDatabase(database.url));
  const s = a.app.services;
  await s.consumers.addConsumer({ name: 'Moodle', ...lms });
  const course = await s.courses.ensureCourse({
    lms: `lti11:${lms.key}`,
    contextId: 'ctx-11',
    title: 'RR',
    label: 'RR101',
  });
  const assignment = await s.assignments.addAssignment({
    courseId: course.id,
    slug: 'ex1',
    title: 'Exercice 1',
    template: 'teachers/ex1',
    latePolicy: 'lock',
  });

  /** A learner's LTI 1.1 launch of `ex1` through `app`, with where their grade goes. */
  async function launch(app: App, userId: string, outcomesUrl: string) {
    const params = signLti11Launch({
      launchUrl: `${testBaseUrl}/lti/launch`,
      consumerKey: lms.key,
      secret: lms.secret,
      nowSeconds: Math.floor(Date.now() / 1000),
      params: Object.entries({
        lti_message_type: 'basic-lti-launch-request',
        lti_version: 'LTI-1p0',
        roles: 'Learner',
        user_id: userId,
        resource_link_id: 'rl-11',
        context_id: 'ctx-11',
        context_title: 'RR',
        custom_assignment: 'ex1',
        lis_outcome_service_url: outcomesUrl,
        lis_result_sourcedid: `src-${userId}`,
      }),
    });
    const res = await app.server.inject({
      method: 'POST',
      url: '/lti/launch',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: formEncode(params),
    });
    if (res.statusCode >= 400) throw new Error(`launch of ${userId}: ${res.statusCode} ${res.body}`);
    return (
      await database.db
        .selectFrom('user_identities')
        .select('user_id')
        .where('subject', '=', userId)
        .executeTakeFirstOrThrow()
    ).user_id;
  }

  /** The learner's fork, once provisioning made it. */
  const forkOf = (userId: string) =>
    eventually(
      `the fork of ${userId}`,
      async () => {
        const row = await database.db
          .selectFrom('provisionings')
          .select(['status', 'state', 'error_message'])
          .where('user_id', '=', userId)
          .where('kind', '=', 'fork')
          .executeTakeFirst();
        if (row?.status === 'failed') throw new Error(`fork failed: ${row.error_message}`);
        return row?.status === 'done'
          ? (JSON.parse(row.state) as { fork: { id: number; defaultBranch: string } }).fork
          : undefined;
      },
      60_000,
    );

  return {
    a,
    b,
    gitlab,
    database,
    course,
    assignment,
    launch,
    forkOf,
    close: async () => {
      await a.app.close();
      await b.app.close();
      await b.db.destroy();
      await database.close();
      await gitlab.close();
    },
  };
}
