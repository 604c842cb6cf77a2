import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
  testBaseUrl,
  type TestApp,
} from './support/test-app.ts';

// Workspaces on (so that images are checked against a real list); no engine is reached.
const dir = mkdtempSync(path.join(tmpdir(), 'labgate-publish-'));
const env = (forgeUrl: string) => ({
  FORGE_URL: forgeUrl,
  FORGE_TOKEN: rootToken,
  DATA_DIR: dir,
  WORKSPACES_ROOT: path.join(dir, 'workspaces'),
  DOCKER_SOCKET: path.join(dir, 'no-engine.sock'),
  WORKSPACE_IMAGE: 'labgate-notebook:test',
  WORKSPACE_IMAGES_ALLOWED: 'labgate-notebook-r:test',
});

let gitlab: TestGitlab;
let t: TestApp;
let teacher = '';
let learner = '';
let stranger = '';
let courseId = '';
let csrf = '';
const hour = 3600_000;

const launchAs = async (over: Record<string, string>) =>
  sessionCookieOf(await postLaunch(t, formEncode(signedLaunch(t, { params: learnerParams(over) }))))!;

async function forgeUserOf(lmsId: string): Promise<{ id: number; username: string }> {
  const { user_id } = await t.db
    .selectFrom('user_identities')
    .select('user_id')
    .where('subject', '=', lmsId)
    .executeTakeFirstOrThrow();
  for (let i = 0; i < 200; i++) {
    const job = await t.db
      .selectFrom('provisionings')
      .select(['status', 'state'])
      .where('user_id', '=', user_id)
      .executeTakeFirst();
    if (job?.status === 'done')
      return (JSON.parse(job.state) as { forgeUser: { id: number; username: string } }).forgeUser;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the staff provisioning of ${lmsId} did not finish`);
}

beforeAll(async () => {
  gitlab = await startTestGitlab();
  const teachers = await gitlab.api.Groups.create('Teachers', 'teachers');
  const project = (name: string, readme: boolean) =>
    gitlab.api.Projects.create({ name, namespaceId: teachers.id as number, initializeWithReadme: readme });
  const [ex1, empty] = [await project('ex1', true), await project('empty', false)];
  await project('secret', true);
  t = await startTestApp({ env: env(gitlab.lite.url) });
  teacher = await launchAs({
    user_id: 't-1',
    roles: 'Instructor',
    lis_person_name_full: 'Prof Tournesol',
    context_label: 'RR101',
  });
  learner = await launchAs({ user_id: 'l-1', lis_person_name_full: 'Ada Lovelace' });
  stranger = await launchAs({
    user_id: 't-2',
    roles: 'Instructor',
    context_id: 'course-v1:Other+X+2026',
    context_title: 'Autre cours',
  });
  const courses = await t.app.services.courses.listCourses();
  courseId = courses.find((c) => c.contextId === 'course-v1:Inria+RR101+2026')!.id;
  const prof = await forgeUserOf('t-1');
  for (const p of [ex1, empty]) await gitlab.api.ProjectMembers.add(p.id as number, 20, { userId: prof.id });
  const form = await getWithSession(t, `/courses/${courseId}/publish?lang=en`, teacher);
  csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
});
afterAll(async () => {
  await t?.close();
  await gitlab?.close();
  rmSync(dir, { recursive: true, force: true });
});

const future = (hours: number, zone = 'Europe/Paris') => {
  const at = new Date(Date.now() + hours * hour);
  const local = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
  return { local: local.replace(' ', 'T'), utc: Math.floor(at.getTime() / 60_000) * 60_000 };
};

const fields = (over: Record<string, string> = {}): Record<string, string> => ({
  _csrf: csrf,
  title: 'Exercice',
  slug: '',
  template: 'teachers/ex1',
  openFile: '',
  image: '',
  deadline: '',
  timezone: 'Europe/Paris',
  latePolicy: 'accept',
  ...over,
});

const post = (
  url: string,
  body: Record<string, string>,
  session = teacher,
  headers: Record<string, string> = {},
) =>
  t.app.server.inject({
    method: 'POST',
    url,
    cookies: { labgate_session: session },
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: testBaseUrl, ...headers },
    payload: formEncode(Object.entries(body)),
  });

function multipart(values: Record<string, string>, files: Array<{ name: string; content: string }>) {
  const boundary = '----labgateTestBoundary7MA4YWxk';
  const parts = [
    ...Object.entries(values).map(([k, v]) => `Content-Disposition: form-data; name="${k}"\r\n\r\n${v}`),
    ...files.map(
      (f) =>
        `Content-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n${f.content}`,
    ),
  ];
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    body: `${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`,
  };
}

const upload = (
  values: Record<string, string>,
  files: Array<{ name: string; content: string }>,
  session = teacher,
) => {
  const m = multipart(values, files);
  return t.app.server.inject({
    method: 'POST',
    url: `/courses/${courseId}/publish/upload?lang=en`,
    cookies: { labgate_session: session },
    headers: { 'content-type': m.type, origin: testBaseUrl },
    payload: m.body,
  });
};

const publishUrl = (lang = 'en') => `/courses/${courseId}/publish?lang=${lang}`;
/** The message shown beside a field. */
const beside = (body: string, field: string) =>
  new RegExp(`id="${field}-problem"[^>]*>([\\s\\S]*?)</div>`).exec(body)?.[1] ?? '';
const notebook = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [{ cell_type: 'markdown', id: 'intro', metadata: {}, source: ['# Exercice 2'] }],
});

describe('publishing an exercise from the course page', () => {
  it('offers the form from the course page, suggesting the templates the teacher can read', async () => {
    const course = await getWithSession(t, `/courses/${courseId}?lang=en`, teacher);
    expect(course.body).toContain('id="publish"');
    expect(course.body).toContain(`href="/courses/${courseId}/publish?lang=en"`);
    const form = await getWithSession(t, publishUrl(), teacher);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<option value="teachers/ex1">');
    expect(form.body).not.toContain('teachers/secret');
    expect(form.body).toMatch(/<option value="labgate-notebook-r:test"\s*>/);
    expect(form.body).toContain('The default image (labgate-notebook:test)');
    expect(form.body).toMatch(/name="timezone"[^>]*value="UTC"[^>]*data-guess="1"/);
  });

  it('publishes with an existing template, then shows the exercise and its LMS parameter', async () => {
    const due = future(48);
    const res = await post(
      publishUrl(),
      fields({
        title: 'Exercice 1 — Données',
        image: 'labgate-notebook-r:test',
        deadline: due.local,
        latePolicy: 'lock',
        openFile: 'README.md',
      }),
    );
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/courses/${courseId}?lang=en&published=exercice-1-donnees`);
    const a = (await t.app.services.assignments.findAssignment(courseId, 'exercice-1-donnees'))!;
    expect(a).toMatchObject({
      template: 'teachers/ex1',
      image: 'labgate-notebook-r:test',
      latePolicy: 'lock',
      openFile: 'README.md',
    });
    expect(a.deadline).toBe(due.utc);
    const page = await getWithSession(t, res.headers.location as string, teacher);
    expect(page.body).toMatch(
      /data-testid="published">“Exercice 1 — Données” is published\. .*assignment=exercice-1-donnees/,
    );
    expect(page.body).toContain('data-assignment="exercice-1-donnees"');
  });

  it.each([
    [
      'an unknown template',
      { template: 'teachers/nope' },
      'template',
      /No project teachers\/nope on http:\/\/127\.0\.0\.1:\d+\..*Check the path, or create a new template/s,
    ],
    [
      'a template without commits',
      { template: 'teachers/empty' },
      'template',
      /teachers\/empty has no commit yet.*upload a notebook/s,
    ],
    [
      'a template the teacher cannot read',
      { template: 'teachers/secret' },
      'template',
      /Your GitLab account \S+ cannot read teachers\/secret/,
    ],
    [
      'a slug already used',
      { slug: 'exercice-1-donnees' },
      'slug',
      /already has an exercise &quot;exercice-1-donnees&quot; \(Exercice 1 — Données\)/,
    ],
    [
      'a deadline in the past',
      { deadline: '2020-01-01T10:00' },
      'deadline',
      /The deadline 2020-01-01 09:00 UTC is already past/,
    ],
    [
      'an image not allowed',
      { image: 'evil/miner:latest' },
      'image',
      /&quot;evil\/miner:latest&quot; is not allowed.*labgate-notebook:test, labgate-notebook-r:test/s,
    ],
    [
      'a file to open the template does not have',
      { openFile: 'notebooks/ex1.ipynb' },
      'openFile',
      /The template teachers\/ex1 has no file notebooks\/ex1\.ipynb on main\..*leave it empty for the first notebook/s,
    ],
    [
      'a file to open outside the template',
      { openFile: '../../secret/README.md' },
      'openFile',
      /&quot;\.\.\/\.\.\/secret\/README\.md&quot; cannot be the file learners land in/,
    ],
    [
      'a time zone that is none',
      { deadline: '2030-01-01T10:00', timezone: 'Mars/Olympus' },
      'timezone',
      /&quot;Mars\/Olympus&quot; is not a time zone/,
    ],
  ])(
    'refuses %s, saying what to fix beside the field and keeping every value',
    async (_, over, field, message) => {
      const typed = fields({ title: 'Mon « exercice »', slug: 'ex-refused', ...over });
      const res = await post(publishUrl(), typed);
      expect(res.statusCode).toBe(400);
      expect(beside(res.body, field)).toMatch(message);
      expect(res.body).toContain('Nothing was published: one thing to fix.');
      for (const name of ['title', 'slug', 'template', 'openFile', 'deadline', 'timezone'] as const)
        expect(res.body).toMatch(
          new RegExp(`name="${name}"[^>]*value="${typed[name]!.replace(/[«»]/g, '.')}"`),
        );
      if (typed.image) expect(res.body).toMatch(new RegExp(`value="${typed.image}"\\s*selected`));
      expect(await t.app.services.assignments.findAssignment(courseId, 'ex-refused')).toBeUndefined();
    },
  );

  it('lists every problem at once, in French for a French teacher', async () => {
    const res = await post(
      publishUrl('fr'),
      fields({
        title: '',
        slug: 'Bad Slug',
        template: 'teachers/nope',
        deadline: '2020-01-01T10:00',
        latePolicy: 'later',
        openFile: '.git/config',
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Rien n’a été publié : 6 points à corriger.');
    expect(beside(res.body, 'openFile')).toContain(
      '« .git/config » ne peut pas être le fichier ouvert à l’arrivée.',
    );
    expect(beside(res.body, 'template')).toContain('Aucun projet teachers/nope sur');
    expect(beside(res.body, 'deadline')).toContain('L’échéance 2020-01-01 09:00 UTC est déjà passée.');
    expect(beside(res.body, 'slug')).toContain('« Bad Slug » ne peut pas être le nom court');
    expect(beside(res.body, 'latePolicy')).toContain('n’est pas une règle de retard');
  });

  it('makes an empty template in the course group, takes a notebook for it, then publishes with it', async () => {
    const made = await post(
      `/courses/${courseId}/publish/template?lang=en`,
      fields({ title: 'Exercice 2', slug: 'ex2' }),
    );
    expect(made.statusCode, made.body).toBe(303);
    const form = new URL(made.headers.location as string, testBaseUrl);
    const template = form.searchParams.get('template')!;
    expect(template).toMatch(/^labgate\/rr101\/templates\/ex2$/);
    expect(form.searchParams.get('title')).toBe('Exercice 2');
    const page = await getWithSession(t, `${form.pathname}${form.search}`, teacher);
    expect(page.body).toContain(`Template ${template} is ready in the course group.`);
    expect(page.body).toContain('data-empty="yes"');
    expect(page.body).toContain(`git clone ${gitlab.lite.url}/${template}.git`);
    expect(page.body).toContain('git push origin HEAD:main');
    expect(page.body).toContain(`${template} is empty: waiting for its first commit.`);

    const early = await post(publishUrl(), fields({ title: 'Exercice 2', slug: 'ex2', template }));
    expect(beside(early.body, 'template')).toMatch(/has no commit yet.*upload a notebook/s);

    const values = { _csrf: csrf, title: 'Exercice 2', slug: 'ex2', template, timezone: 'Europe/Paris' };
    const broken = await upload(values, [{ name: 'ex2.ipynb', content: '{"cells": [' }]);
    expect(broken.statusCode).toBe(400);
    expect(beside(broken.body, 'files')).toMatch(
      /ex2\.ipynb is not a notebook Jupyter can open: not valid JSON.*Nothing was committed/s,
    );
    expect(broken.body).toContain('value="Exercice 2"');
    expect(await t.app.services.assignments.findAssignment(courseId, 'ex2')).toBeUndefined();

    const sent = await upload(values, [
      { name: 'ex2.ipynb', content: notebook },
      { name: 'data.csv', content: 'x,y\n1,2\n' },
    ]);
    expect(sent.statusCode, sent.body).toBe(303);
    const after = await getWithSession(t, (sent.headers.location as string).split('#')[0]!, teacher);
    expect(after.body).toContain(`2 files committed to ${template}.`);
    expect(after.body).toContain('data-empty="no"');
    const files = await gitlab.api.Repositories.allRepositoryTrees(template);
    expect(files.map((f) => f.name).sort()).toEqual(['data.csv', 'ex2.ipynb']);

    const published = await post(publishUrl(), fields({ title: 'Exercice 2', slug: 'ex2', template }));
    expect(published.statusCode, published.body).toBe(303);
    expect((await t.app.services.assignments.findAssignment(courseId, 'ex2'))?.template).toBe(template);
  });

  it('uploads only into the course’s own templates, and refuses an empty upload', async () => {
    const other = await upload({ _csrf: csrf, template: 'teachers/ex1' }, [{ name: 'a.txt', content: 'a' }]);
    expect(other.statusCode).toBe(400);
    expect(other.body).toMatch(
      /Files are uploaded only to templates made here, in labgate\/rr101\/templates; teachers\/ex1 is not one/,
    );
    const none = await upload({ _csrf: csrf, template: 'labgate/rr101/templates/ex2' }, []);
    expect(beside(none.body, 'files')).toContain('No file was chosen.');
    const big = await upload({ _csrf: csrf, template: 'labgate/rr101/templates/ex2' }, [
      { name: 'big.csv', content: 'x'.repeat(10.5 * 2 ** 20) },
    ]);
    expect(big.statusCode).toBe(400);
    expect(beside(big.body, 'files')).toContain(
      'These files weigh 10.5 MB; one upload takes at most 10.0 MB.',
    );
    const data = await upload({ _csrf: csrf, template: 'labgate/rr101/templates/ex2' }, [
      { name: 'data.csv', content: 'x,y\n'.repeat(2 ** 20) },
    ]);
    expect(data.statusCode, data.body).toBe(303);
  });
});

describe('who may publish', () => {
  it('refuses learners of the course, staff of another course and strangers', async () => {
    for (const who of [learner, stranger]) {
      const _csrf = (await t.app.services.sessions.findSession(who))!.csrfToken;
      expect((await getWithSession(t, publishUrl(), who)).statusCode).toBe(403);
      const res = await post(publishUrl(), fields({ slug: 'sneaky', _csrf }), who);
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('WEB_STAFF_ONLY');
      const made = await post(
        `/courses/${courseId}/publish/template`,
        fields({ newTemplate: 'sneaky', _csrf }),
        who,
      );
      expect(made.body).toContain('WEB_STAFF_ONLY');
      const sent = await upload({ _csrf, template: 'x/y' }, [{ name: 'a', content: 'a' }], who);
      expect(sent.body).toContain('WEB_STAFF_ONLY');
    }
    expect((await getWithSession(t, publishUrl(), undefined)).statusCode).toBe(401);
    expect(await t.app.services.assignments.findAssignment(courseId, 'sneaky')).toBeUndefined();
  });

  it('refuses forms without the session’s CSRF token or from another origin', async () => {
    const { _csrf, ...noToken } = fields({ slug: 'forged' });
    void _csrf;
    for (const res of [
      await post(publishUrl(), noToken),
      await post(publishUrl(), fields({ slug: 'forged', _csrf: 'stale' })),
      await post(publishUrl(), fields({ slug: 'forged' }), teacher, { origin: 'https://evil.test' }),
      await post(`/courses/${courseId}/publish/template`, { ...noToken, newTemplate: 'forged' }),
      await upload({ template: 'labgate/rr101/templates/ex2' }, [{ name: 'forged.txt', content: 'x' }]),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('WEB_CSRF');
    }
    expect(await t.app.services.assignments.findAssignment(courseId, 'forged')).toBeUndefined();
  });
});
