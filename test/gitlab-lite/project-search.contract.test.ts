import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootToken, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';

let t: TestGitlab;
const ids: Record<string, number> = {};
let anaToken: string;

const get = async (url: string, headers: Record<string, string> = {}, token = rootToken) => {
  const res = await fetch(`${t.lite.url}/api/v4${url}`, { headers: { 'private-token': token, ...headers } });
  return { status: res.status, body: (await res.json()) as unknown };
};
const names = (body: unknown) =>
  (body as Array<{ path_with_namespace: string }>).map((p) => p.path_with_namespace).sort();

beforeAll(async () => {
  t = await startTestGitlab();
  const course = await t.api.Groups.create('Course S', 'course-s');
  const sub = await t.api.Groups.create('Templates', 'templates', { parentId: course.id as number });
  const other = await t.api.Groups.create('Other', 'other');
  const make = async (name: string, namespaceId: number, visibility = 'private') =>
    (ids[name] = (await t.api.Projects.create({ name, namespaceId, visibility: visibility as 'private' }))
      .id as number);
  await make('lab-intro', sub.id as number);
  await make('lab-stats', sub.id as number);
  await make('guest-only', other.id as number);
  await make('lab-public', other.id as number, 'public');
  await make('lab-hidden', other.id as number);
  const ana = await t.api.Users.create({
    email: 'ana@x.invalid',
    name: 'Ana',
    username: 'ana',
    forceRandomPassword: true,
  });
  ids.ana = ana.id as number;
  await t.api.GroupMembers.add(course.id as number, 20, { userId: ana.id as number });
  await t.api.ProjectMembers.add(ids['guest-only']!, 10, { userId: ana.id as number });
  anaToken = (await t.api.UserImpersonationTokens.create(ana.id as number, 'api', ['api'])).token as string;
});
afterAll(async () => t.close());

describe('gitlab-lite project search for a user (sudo, membership, min_access_level)', () => {
  it('lists, as the user an admin acts for, the projects they read through a group', async () => {
    const sudo = { sudo: String(ids.ana) };
    const readable = await get('/projects?membership=true&min_access_level=20', sudo);
    expect(names(readable.body)).toEqual(['course-s/templates/lab-intro', 'course-s/templates/lab-stats']);
    expect(names((await get('/projects?membership=true', { sudo: 'ana' })).body)).toEqual([
      'course-s/templates/lab-intro',
      'course-s/templates/lab-stats',
      'other/guest-only',
    ]);
    expect(
      names((await get('/projects?membership=true&min_access_level=20&search=STATS', sudo)).body),
    ).toEqual(['course-s/templates/lab-stats']);
    expect(names((await get('/projects?visibility=public&search=lab&simple=true')).body)).toEqual([
      'other/lab-public',
    ]);
    expectSchema('public_api/v4/projects.json', (await get('/projects?simple=true&search=lab', sudo)).body);
    // The same as the user's own token answers.
    expect((await get('/projects?membership=true&min_access_level=20', {}, anaToken)).body).toEqual(
      readable.body,
    );
  });

  it('refuses sudo as GitLab does: non-admins, tokens without the sudo scope, unknown users', async () => {
    expect(await get('/projects', { sudo: 'root' }, anaToken)).toEqual({
      status: 403,
      body: { message: '403 Forbidden - Must be admin to use sudo' },
    });
    const apiOnly = (await t.api.UserImpersonationTokens.create(1, 'no sudo', ['api'])).token as string;
    expect(await get('/projects', { sudo: 'ana' }, apiOnly)).toMatchObject({
      status: 403,
      body: { error: 'insufficient_scope', scope: 'sudo' },
    });
    expect(await get('/projects', { sudo: 'nobody' })).toEqual({
      status: 404,
      body: { message: "404 User with ID or username 'nobody' Not Found" },
    });
  });

  it('answers members/all/:user_id with the inherited role, 404 for someone without one (members.json)', async () => {
    const inherited = await get(`/projects/${ids['lab-intro']}/members/all/${ids.ana}`);
    expect(inherited).toMatchObject({
      status: 200,
      body: { id: ids.ana, username: 'ana', access_level: 20 },
    });
    const all = await get(`/projects/${ids['lab-intro']}/members/all`);
    expectSchema('public_api/v4/members.json', all.body);
    expect(await get(`/projects/${ids['lab-hidden']}/members/all/${ids.ana}`)).toEqual({
      status: 404,
      body: { message: '404 Not found' },
    });
  });
});
