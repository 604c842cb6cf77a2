import { PassThrough } from 'node:stream';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { signLti11Launch } from '../../src/simulator/index.ts';
import { rootToken, startTestGitlab } from '../support/gitlab-lite.ts';
import { formEncode, sessionCookieOf, testBaseUrl, type TestApp } from '../support/test-app.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { platformClientId, platformIssuer } from '../support/test-platform.ts';

export const moodle = { key: 'moodle-1', secret: 'moodle-secret-0123456789abcdef' };

/**
 * A labgate with a real gitlab-lite (so learners' launches of `ex1` are provisioned and remember where
 * their grades go), an LTI 1.1 course and an LTI 1.3 course, each with the assignment `ex1`. Its clock
 * can be moved forward; its logs are kept. `rounds: false` leaves delivery to `deliverDue()`.
 */
export async function startPassbackRig(o: { rounds?: boolean } = {}) {
  const gitlab = await startTestGitlab();
  const teachers = await gitlab.api.Groups.create('Teachers', 'teachers');
  await gitlab.api.Projects.create({
    name: 'ex1',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  const database = await openTestDatabase();
  let offset = 0;
  const logs = new PassThrough();
  let logText = '';
  logs.on('data', (chunk: Buffer) => (logText += chunk.toString()));
  const config = loadConfig('demo', {
    PUBLIC_BASE_URL: testBaseUrl,
    SIMULATOR: 'off',
    LOG_LEVEL: 'info',
    EMBEDDED_FORGE: 'off',
    FORGE_URL: gitlab.lite.url,
    FORGE_TOKEN: rootToken,
  });
  const app = await buildApp(config, {
    db: database.db,
    now: () => Date.now() + offset,
    logStream: logs,
    ...(o.rounds ? {} : { upkeep: false as const }),
  });
  const s = app.services;
  await s.consumers.addConsumer({ name: 'Moodle', ...moodle });
  const course11 = await s.courses.ensureCourse({
    lms: `lti11:${moodle.key}`,
    contextId: 'ctx-11',
    title: 'RR',
    label: 'RR101',
  });
  const course13 = await s.courses.ensureCourse({
    lms: `lti13:${platformIssuer}`,
    contextId: 'ctx-1',
    title: 'RR',
    label: 'RR13',
  });
  const add = (courseId: string) =>
    s.assignments.addAssignment({ courseId, slug: 'ex1', title: 'Exercice 1', template: 'teachers/ex1' });
  const ex11 = await add(course11.id);
  const ex13 = await add(course13.id);

  /** An LTI 1.1 launch of `ex1` (a learner unless the fields say otherwise). */
  async function launch11(fields: Record<string, string>) {
    const params = signLti11Launch({
      launchUrl: `${testBaseUrl}/lti/launch`,
      consumerKey: moodle.key,
      secret: moodle.secret,
      nowSeconds: Math.floor(Date.now() / 1000),
      params: Object.entries({
        lti_message_type: 'basic-lti-launch-request',
        lti_version: 'LTI-1p0',
        roles: 'Learner',
        resource_link_id: 'rl-11',
        context_id: 'ctx-11',
        context_title: 'RR',
        context_label: 'RR101',
        custom_assignment: 'ex1',
        ...fields,
      }),
    });
    const res = await app.server.inject({
      method: 'POST',
      url: '/lti/launch',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: formEncode(params),
    });
    return { res, session: sessionCookieOf(res) };
  }

  const userOf = async (subject: string) =>
    (
      await database.db
        .selectFrom('user_identities')
        .select('user_id')
        .where('subject', '=', subject)
        .executeTakeFirstOrThrow()
    ).user_id;

  const targetOf = async (assignmentId: string, subject: string) =>
    database.db
      .selectFrom('grade_targets')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .where('user_id', '=', await userOf(subject))
      .executeTakeFirst();

  return {
    app,
    db: database.db,
    ex11,
    ex13,
    course11,
    course13,
    launch11,
    userOf,
    targetOf,
    /** What the test-platform helpers need of a TestApp. */
    asTestApp: { app } as unknown as TestApp,
    /** Registers the test platform (test/support/test-platform.ts) with a token URL for AGS. */
    registerPlatform: (jwksUrl: string, tokenUrl: string | undefined) =>
      s.platforms.registerPlatform({
        name: 'Moodle 1.3',
        issuer: platformIssuer,
        clientId: platformClientId,
        authLoginUrl: `${platformIssuer}/auth`,
        jwksUrl,
        tokenUrl,
        deploymentIds: ['dep-1'],
      }),
    /** labgate's public keys, as a platform fetches them. */
    jwks: async () => (await app.server.inject({ url: '/.well-known/jwks.json' })).json(),
    advance: (ms: number) => {
      offset += ms;
    },
    logs: () => logText,
    close: async () => {
      await app.close();
      await database.close();
      await gitlab.close();
    },
  };
}

export type PassbackRig = Awaited<ReturnType<typeof startPassbackRig>>;
