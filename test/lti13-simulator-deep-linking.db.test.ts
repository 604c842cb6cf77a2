import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCourse } from '../src/simulator/index.ts';
import { rootToken, startTestGitlab, type TestGitlab } from './support/gitlab-lite.ts';
import { formsOf } from './support/html-forms.ts';
import { freePort } from './support/labgate-process.ts';
import { newBrowser } from './support/test-browser.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

// The simulator fetches labgate's JWKS, and labgate the simulator's, over HTTP: labgate listens for real.
let gitlab: TestGitlab;
let t: TestApp;
let base: string;
beforeAll(async () => {
  gitlab = await startTestGitlab();
  const teachers = await gitlab.api.Groups.create('Teachers', 'teachers');
  await gitlab.api.Projects.create({
    name: 'dl-ex',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  const port = await freePort();
  base = `http://localhost:${port}`;
  t = await startTestApp({
    env: { PUBLIC_BASE_URL: base, FORGE_URL: gitlab.lite.url, FORGE_TOKEN: rootToken },
  });
  await t.app.server.listen({ port, host: 'localhost' });
  const course = await t.app.services.courses.ensureCourse({
    lms: `lti13:${base}/simulator`,
    contextId: demoCourse.contextId,
    title: demoCourse.title,
  });
  await t.app.services.assignments.addAssignment({
    courseId: course.id,
    slug: 'dl-ex',
    title: 'Exercice lié par deep linking',
    template: 'teachers/dl-ex',
  });
});
afterAll(async () => {
  await t?.close();
  await gitlab?.close();
});

/** The teacher's clicks: the simulator's deep-linking button, then labgate's picker. */
async function teacherLinks(browser: ReturnType<typeof newBrowser>, slug: string) {
  const home = await browser.go('/simulator');
  const start = formsOf(home.body).find((f) => f.action === '/simulator/lti13/deep-linking')!;
  expect(start.fields.get('role')).toBe('teacher');
  expect(home.body).toMatch(/data-testid="deep-link"/);
  const picker = await browser.go(`${start.action}?${start.fields}&flavour=moodle&locale=en`);
  expect(picker.url.pathname, picker.body).toMatch(/^\/lti\/1\.3\/deep-linking\/[\w-]{43}$/);
  const choice = formsOf(picker.body).find((f) => f.fields.get('assignment') === slug)!;
  return { picker, done: await browser.go(choice.action, { form: choice.fields }) };
}

describe('deep linking through the LMS simulator', () => {
  it('links an exercise; a learner launching the new link lands on that exercise', async () => {
    const { done } = await teacherLinks(newBrowser(base), 'dl-ex');
    expect(done.url.pathname, done.body).toBe('/simulator');
    expect(done.lastForm!.action).toBe(`${base}/simulator/lti13/deep-linking/return`);
    const linked = /<li data-link="([^"]+)"\s+data-testid="linked">([\s\S]*?)<\/li>/.exec(done.body)!;
    expect(linked[2]).toContain('Exercice lié par deep linking');
    expect(linked[2]).toContain('<code>assignment=dl-ex</code>');
    const launch = formsOf(linked[2]!).find((f) => f.action === '/simulator/lti13/launch')!;
    expect(Object.fromEntries(launch.fields)).toEqual({
      link: linked[1],
      role: 'learner',
      flavour: 'moodle',
      locale: 'en',
      userId: '',
    });
    expect(linked[2]).toMatch(/data-testid="launch-link"/);

    launch.fields.set('userId', 'learner-dl-1');
    const learner = await newBrowser(base).go(`/simulator/lti13/launch?${launch.fields}`);
    expect(learner.url.pathname, learner.body).toBe('/home');
    expect(learner.body).toMatch(/data-testid="role">learner</);
    const user = await t.db
      .selectFrom('user_identities')
      .select('user_id')
      .where('subject', '=', 'learner-dl-1')
      .executeTakeFirstOrThrow();
    for (;;) {
      const job = await t.db
        .selectFrom('provisionings')
        .select(['status', 'spec', 'state'])
        .where('user_id', '=', user.user_id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(job.spec)).toMatchObject({ kind: 'fork', assignment: { slug: 'dl-ex' } });
      expect(job.status).not.toBe('failed');
      if (job.status === 'done') {
        expect(job.state).toMatch(/dl-ex/);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('checks labgate’s answer as an LMS does: a replayed or altered JWT makes no link', async () => {
    const browser = newBrowser(base);
    const { done } = await teacherLinks(browser, 'dl-ex');
    const answer = done.lastForm!;
    const count = (body: string) => (body.match(/<li data-link=/g) ?? []).length;
    const before = count((await browser.go('/simulator')).body);
    const replay = await browser.go(answer.action, { form: answer.fields });
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('names no request the simulator is waiting for');
    const [h, p, s] = answer.fields.get('JWT')!.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = { ...claims, iss: 'someone-else' };
    const altered = await browser.go(answer.action, {
      form: new URLSearchParams({
        JWT: [h, Buffer.from(JSON.stringify(forged)).toString('base64url'), s].join('.'),
      }),
    });
    expect(altered.status).toBe(400);
    expect(altered.body).toContain('does not verify');
    expect(count((await browser.go('/simulator')).body)).toBe(before);
  });

  it('refuses a learner who asks to add content', async () => {
    const visit = await newBrowser(base).go('/simulator/lti13/deep-linking?role=learner&locale=en');
    expect(visit.status).toBe(403);
    expect(visit.body).toContain('LTI13_DEEP_LINKING_ROLE');
  });
});
