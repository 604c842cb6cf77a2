import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootToken, startTestGitlab, type TestGitlab } from './support/gitlab-lite.ts';
import {
  formEncode,
  getWithSession,
  learnerParams,
  postLaunch,
  sessionCookieOf,
  signedLaunch,
  startTestApp,
  type TestApp,
} from './support/test-app.ts';

let t: TestGitlab;
let app: TestApp;

beforeAll(async () => {
  t = await startTestGitlab();
  const teachers = await t.api.Groups.create('Teachers', 'teachers');
  await t.api.Projects.create({
    name: 'ex1',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  app = await startTestApp({ env: { FORGE_URL: t.lite.url, FORGE_TOKEN: rootToken } });
  const course = await app.app.services.courses.ensureCourse({
    lms: 'lti11:test-lms',
    contextId: 'course-v1:Inria+RR101+2026',
    title: 'Recherche reproductible',
    label: 'RR101',
  });
  await app.app.services.assignments.addAssignment({
    courseId: course.id,
    slug: 'ex1',
    title: 'Exercice 1',
    template: 'teachers/ex1',
  });
});
afterAll(async () => {
  await app.close();
  await t.close();
});

async function launch(over: Record<string, string>) {
  const res = await postLaunch(app, formEncode(signedLaunch(app, { params: learnerParams(over) })));
  expect(res.statusCode).toBe(303);
  const session = sessionCookieOf(res)!;
  const user = await app.db
    .selectFrom('user_identities')
    .select('user_id')
    .where('subject', '=', over.user_id ?? 'learner-42')
    .executeTakeFirstOrThrow();
  const job = await app.db
    .selectFrom('provisionings')
    .select('id')
    .where('user_id', '=', user.user_id)
    .executeTakeFirst();
  return { session, jobId: job?.id };
}

describe('a launch that names an assignment', () => {
  it('queues the learner’s fork and streams its progress to them until it is done', async () => {
    const { session, jobId } = await launch({ user_id: 'camille', custom_assignment: 'ex1' });
    expect(jobId).toBeDefined();
    const events = await getWithSession(app, `/provisionings/${jobId}/events`, session);
    expect(events.headers['content-type']).toContain('text/event-stream');
    const updates = events.payload
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)) as { status: string; step: string; fork?: { webUrl: string } });
    expect(updates.at(-1)).toMatchObject({ status: 'done', step: 'done' });
    expect(updates.at(-1)!.fork!.webUrl).toMatch(/\/labgate\/rr101\/ex1-camille-durand$/);
    const status = await getWithSession(app, `/provisionings/${jobId}`, session);
    expect(JSON.parse(status.payload)).toMatchObject({ status: 'done' });
    expect(status.payload).not.toMatch(/token|forgeUser|"id":\d/);
  });

  it('hides a learner’s job from everyone else', async () => {
    const first = await launch({ user_id: 'dominique', custom_assignment: 'ex1' });
    const other = await launch({ user_id: 'eve', lis_person_name_full: 'Eve', custom_assignment: 'ex1' });
    expect((await getWithSession(app, `/provisionings/${first.jobId}`, other.session)).statusCode).toBe(404);
    expect((await getWithSession(app, `/provisionings/${first.jobId}`, undefined)).statusCode).toBe(401);
  });

  it('signs the learner in without a job when the link names no known assignment', async () => {
    const { session, jobId } = await launch({ user_id: 'frank', custom_assignment: 'nope' });
    expect(session).toBeDefined();
    expect(jobId).toBeUndefined();
  });

  it('gives a teacher Maintainer access to the course group', async () => {
    const { jobId } = await launch({
      user_id: 'prof',
      roles: 'Instructor',
      lis_person_name_full: 'Prof Martin',
    });
    for (;;) {
      const job = await app.app.services.db
        .selectFrom('provisionings')
        .select(['status', 'state'])
        .where('id', '=', jobId!)
        .executeTakeFirstOrThrow();
      if (job.status === 'done') {
        const state = JSON.parse(job.state) as { forgeUser: { id: number }; group: { id: number } };
        const member = await t.api.GroupMembers.show(state.group.id, state.forgeUser.id);
        expect(member.access_level).toBe(40);
        return;
      }
      expect(job.status).not.toBe('failed');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
