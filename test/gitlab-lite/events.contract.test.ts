import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';

let t: TestGitlab;
let projectId: number;
let dir: string;
const git = (args: string[], env?: Record<string, string>) => runGit(args, dir, env);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function events(query = '', token = rootToken) {
  const res = await fetch(`${t.lite.url}/api/v4/projects/${projectId}/events${query}`, {
    headers: { 'private-token': token },
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Array<Record<string, unknown>>,
  };
}

async function commit(file: string, env?: Record<string, string>) {
  writeFileSync(path.join(dir, file), `${file}\n`);
  await git(['add', file]);
  await git(['commit', '--quiet', '-m', `Add ${file}`], env);
  return (await git(['rev-parse', 'HEAD'])).out.trim();
}

beforeAll(async () => {
  t = await startTestGitlab();
  const group = await t.api.Groups.create('Course E', 'course-e');
  projectId = (
    await t.api.Projects.create({
      name: 'template',
      namespaceId: group.id as number,
      initializeWithReadme: true,
    })
  ).id as number;
  dir = path.join(t.work, 'clone');
  await runGit(['clone', '--quiet', cloneUrl(t.lite.url, 'course-e/template', rootToken), dir], t.work);
});
afterAll(async () => t.close());

describe('gitlab-lite push events (GET /projects/:id/events)', () => {
  it('records a push at the server’s time, not the commit’s date (2001)', async () => {
    const before = (await git(['rev-parse', 'HEAD'])).out.trim();
    const old = { GIT_COMMITTER_DATE: '2001-01-01T00:00:00Z', GIT_AUTHOR_DATE: '2001-01-01T00:00:00Z' };
    const long = 'x'.repeat(80);
    await commit('a.txt', old);
    await git(['commit', '--quiet', '--allow-empty', '-m', `${long}\n\nbody`], old);
    const after = (await git(['rev-parse', 'HEAD'])).out.trim();
    const pushed = Date.now();
    expect((await git(['push', '--quiet', 'origin', 'main'])).code).toBe(0);
    const { status, body } = await events('?action=pushed');
    expect(status).toBe(200);
    expect(body).toHaveLength(1);
    const [e] = body;
    expect(Date.parse(e!.created_at as string)).toBeGreaterThanOrEqual(pushed - 1000);
    expect(Date.parse(e!.created_at as string)).toBeLessThanOrEqual(Date.now());
    expect(e!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(e).toMatchObject({
      project_id: projectId,
      action_name: 'pushed to',
      target_id: null,
      target_type: null,
      author_id: 1,
      author: { id: 1, username: 'root' },
      author_username: 'root',
      push_data: {
        commit_count: 2,
        action: 'pushed',
        ref_type: 'branch',
        commit_from: before,
        commit_to: after,
        ref: 'main',
        commit_title: `${'x'.repeat(67)}...`,
        ref_count: null,
      },
    });
  });

  it('names new and deleted branches and tags, with null ends', async () => {
    const head = (await git(['rev-parse', 'HEAD'])).out.trim();
    await git(['push', '--quiet', 'origin', 'HEAD:feature']);
    await git(['push', '--quiet', 'origin', ':feature']);
    await git(['tag', 'v1']);
    await git(['push', '--quiet', 'origin', 'v1']);
    const { body } = await events('?action=pushed&sort=asc');
    expect(body.slice(1).map((e) => [e.action_name, e.push_data])).toEqual([
      [
        'pushed new',
        expect.objectContaining({ action: 'created', ref: 'feature', commit_from: null, commit_to: head }),
      ],
      [
        'deleted',
        expect.objectContaining({ action: 'removed', ref: 'feature', commit_from: head, commit_to: null }),
      ],
      ['pushed new', expect.objectContaining({ ref_type: 'tag', ref: 'v1', commit_count: 1 })],
    ]);
  });

  it('records one bulk event, without a ref, for a push of more than 3 new branches', async () => {
    await git(['push', '--quiet', 'origin', ...['b1', 'b2', 'b3', 'b4'].map((b) => `HEAD:refs/heads/${b}`)]);
    const [newest] = (await events()).body;
    expect(newest).toMatchObject({
      action_name: 'pushed new',
      push_data: { action: 'created', ref_type: 'branch', ref_count: 4, commit_count: 0, ref: null },
    });
  });

  it('records API commits too', async () => {
    await t.api.Commits.create(projectId, 'main', 'From the API', [
      { action: 'create', filePath: 'api.txt', content: 'hi' },
    ]);
    const [newest] = (await events()).body;
    expect(newest).toMatchObject({
      action_name: 'pushed to',
      push_data: { commit_title: 'From the API', ref: 'main' },
    });
  });

  it('filters by whole days, exclusive at both ends, as EventsFinder does', async () => {
    const all = (await events()).body.length;
    expect(all).toBe(6);
    expect((await events(`?after=${day(-1)}`)).body).toHaveLength(all);
    expect((await events(`?after=${day(0)}`)).body).toHaveLength(0);
    expect((await events(`?before=${day(1)}`)).body).toHaveLength(all);
    expect((await events(`?before=${day(0)}`)).body).toHaveLength(0);
    expect((await events(`?after=${day(-1)}&before=${day(1)}`)).body).toHaveLength(all);
  });

  it('sorts by id and pages with GitLab’s headers', async () => {
    const desc = (await events()).body.map((e) => e.id as number);
    expect((await events('?sort=asc')).body.map((e) => e.id)).toEqual([...desc].reverse());
    const page = await events('?sort=asc&per_page=2&page=2');
    expect(page.body.map((e) => e.id)).toEqual([...desc].reverse().slice(2, 4));
    expect(
      Object.fromEntries(
        ['x-total', 'x-page', 'x-next-page', 'x-prev-page'].map((h) => [h, page.headers.get(h)]),
      ),
    ).toEqual({ 'x-total': '6', 'x-page': '2', 'x-next-page': '3', 'x-prev-page': '1' });
  });

  it('refuses unknown actions and dates with 400, and hides the events of a project one cannot see', async () => {
    expect(await events('?action=teleported')).toMatchObject({
      status: 400,
      body: { error: 'action does not have a valid value' },
    });
    expect(await events('?after=yesterday')).toMatchObject({
      status: 400,
      body: { error: 'after is invalid' },
    });
    const eve = await t.api.Users.create({
      email: 'eve@x.invalid',
      name: 'Eve',
      username: 'eve',
      forceRandomPassword: true,
    });
    const token = (await t.api.UserImpersonationTokens.create(eve.id as number, 'api', ['api']))
      .token as string;
    expect((await events('', token)).status).toBe(404);
    await t.api.ProjectMembers.add(projectId, 10, { userId: eve.id as number });
    const guest = await events('', token);
    expect([guest.status, guest.body, guest.headers.get('x-total')]).toEqual([200, [], '6']);
  });
});
