import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';
import { startHookReceiver, type HookReceiver } from '../support/hook-receiver.ts';

let t: TestGitlab;
let receiver: HookReceiver;
let projectId: number;
let dir: string;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const zeros = '0'.repeat(40);

const api = (method: string, url: string, body?: unknown, token = rootToken) =>
  fetch(`${t.lite.url}/api/v4${url}`, {
    method,
    headers: { 'private-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const git = (args: string[], env?: Record<string, string>) => runGit(args, dir, env);

async function commit(file: string, env?: Record<string, string>) {
  writeFileSync(path.join(dir, file), `${file} ${Math.random()}\n`);
  await git(['add', file]);
  await git(['commit', '--quiet', '-m', `Add ${file}\n\nbody of ${file}`], env);
  return (await git(['rev-parse', 'HEAD'])).out.trim();
}

/** Waits for every queued delivery, then hands over what arrived and forgets it. */
async function deliveries() {
  await t.lite.webhooks.settled();
  return receiver.received.splice(0);
}

async function addHook(body: Record<string, unknown>) {
  const res = await api('POST', `/projects/${projectId}/hooks`, body);
  expect(res.status).toBe(201);
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  t = await startTestGitlab();
  t.lite.knobs.hookRetryDelayMs = 10;
  receiver = await startHookReceiver();
  const group = await t.api.Groups.create('Course H', 'course-h');
  projectId = (
    await t.api.Projects.create({
      name: 'template',
      namespaceId: group.id as number,
      initializeWithReadme: true,
    })
  ).id as number;
  dir = path.join(t.work, 'clone');
  await runGit(['clone', '--quiet', cloneUrl(t.lite.url, 'course-h/template', rootToken), dir], t.work);
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

describe('gitlab-lite project hooks (CRUD)', () => {
  it('adds a hook with GitLab’s entity (project_hook.json); the token is never returned', async () => {
    const hook = await addHook({
      url: receiver.url,
      token: 's3cret',
      name: 'labgate',
      description: 'pushes',
    });
    expectSchema('public_api/v4/project_hook.json', hook);
    expect(hook).toMatchObject({
      url: receiver.url,
      name: 'labgate',
      description: 'pushes',
      project_id: projectId,
      push_events: true,
      tag_push_events: false,
      enable_ssl_verification: true,
      push_events_branch_filter: null,
      branch_filter_strategy: 'wildcard',
      alert_status: 'executable',
      disabled_until: null,
      url_variables: [],
      custom_headers: [],
    });
    expect(JSON.stringify(hook)).not.toContain('s3cret');
    const list = (await (await api('GET', `/projects/${projectId}/hooks`)).json()) as unknown[];
    expectSchema('public_api/v4/project_hooks.json', list);
    expect(list).toHaveLength(1);
    expect(list[0]).not.toHaveProperty('url_variables');
    const one = await (await api('GET', `/projects/${projectId}/hooks/${hook.id}`)).json();
    expect(JSON.stringify([list, one])).not.toContain('s3cret');
    expect(one).toEqual(hook);
  });

  it('refuses a missing URL (400), a malformed one (422) and an unknown hook (404), with GitLab’s bodies', async () => {
    const missing = await api('POST', `/projects/${projectId}/hooks`, { token: 'x' });
    expect([missing.status, await missing.json()]).toEqual([400, { error: 'url is missing' }]);
    for (const url of ['not a url', 'ftp://example.org/x', 'javascript:alert(1)']) {
      const bad = await api('POST', `/projects/${projectId}/hooks`, { url });
      expect([bad.status, await bad.json()]).toEqual([422, { error: 'Invalid url given' }]);
    }
    const unknown = await api('GET', `/projects/${projectId}/hooks/999`);
    expect([unknown.status, await unknown.json()]).toEqual([404, { message: '404 Not found' }]);
  });

  it('refuses loopback and private URLs unless the admin allows local requests from hooks', async () => {
    const settings = async (body?: unknown, token = rootToken) =>
      api(body ? 'PUT' : 'GET', '/application/settings', body, token);
    expect(await (await settings()).json()).toMatchObject({
      allow_local_requests_from_web_hooks_and_services: true,
    });
    expect((await settings({ allow_local_requests_from_web_hooks_and_services: false })).status).toBe(200);
    for (const url of [receiver.url, 'http://localhost:9/x', 'http://10.1.2.3/x', 'http://[::1]:9/x']) {
      const res = await api('POST', `/projects/${projectId}/hooks`, { url });
      expect([url, res.status, await res.json()]).toEqual([url, 422, { error: 'Invalid url given' }]);
    }
    expect(
      (await api('POST', `/projects/${projectId}/hooks`, { url: 'https://93.184.215.14/x' })).status,
    ).toBe(201);
    expect((await settings({ allow_local_requests_from_web_hooks_and_services: 'true' })).status).toBe(200);
    const added = await addHook({ url: 'http://192.168.1.9/x' });
    for (const h of (await (await api('GET', `/projects/${projectId}/hooks`)).json()) as Array<{
      id: number;
    }>)
      if (h.id !== 1) expect((await api('DELETE', `/projects/${projectId}/hooks/${h.id}`)).status).toBe(204);
    expect((await api('GET', `/projects/${projectId}/hooks/${added.id}`)).status).toBe(404);
  });

  it('lets only Maintainers and admins manage hooks, and admins the settings', async () => {
    const ana = await t.api.Users.create({
      email: 'ana@x.invalid',
      name: 'Ana',
      username: 'ana',
      forceRandomPassword: true,
    });
    await t.api.ProjectMembers.add(projectId, 30, { userId: ana.id as number });
    const token = (await t.api.UserImpersonationTokens.create(ana.id as number, 'api', ['api']))
      .token as string;
    expect((await api('GET', `/projects/${projectId}/hooks`, undefined, token)).status).toBe(403);
    expect((await api('POST', `/projects/${projectId}/hooks`, { url: receiver.url }, token)).status).toBe(
      403,
    );
    const put = await api('PUT', '/application/settings', { push_event_hooks_limit: 9 }, token);
    expect([put.status, await put.json()]).toEqual([403, { message: '403 Forbidden' }]);
  });
});

describe('gitlab-lite Push Hook deliveries', () => {
  it('posts GitLab’s headers and body after a real git push, commit dates as the client set them', async () => {
    const before = (await git(['rev-parse', 'HEAD'])).out.trim();
    const date = { GIT_COMMITTER_DATE: '2001-02-03T04:05:06Z', GIT_AUTHOR_DATE: '2001-02-03T04:05:06Z' };
    await commit('a.txt', date);
    const after = await commit('b.txt', date);
    const pushed = Date.now();
    expect((await git(['push', '--quiet', 'origin', 'main'])).code).toBe(0);
    const [got, ...more] = await deliveries();
    expect(more).toEqual([]);
    expect(got!.at).toBeGreaterThanOrEqual(pushed);
    expect(got!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'GitLab/18.5.0-lite',
      'x-gitlab-event': 'Push Hook',
      'x-gitlab-token': 's3cret',
      'x-gitlab-instance': t.lite.url,
    });
    for (const h of ['x-gitlab-webhook-uuid', 'x-gitlab-event-uuid', 'idempotency-key'])
      expect(got!.headers[h]).toMatch(uuid);
    const web = `${t.lite.url}/course-h/template`;
    const ssh = `git@127.0.0.1:course-h/template.git`;
    expect(got!.body).toEqual({
      object_kind: 'push',
      event_name: 'push',
      before,
      after,
      ref: 'refs/heads/main',
      ref_protected: true,
      checkout_sha: after,
      message: null,
      user_id: 1,
      user_name: 'Administrator',
      user_username: 'root',
      user_email: '',
      user_avatar: null,
      project_id: projectId,
      project: {
        id: projectId,
        name: 'template',
        description: null,
        web_url: web,
        avatar_url: null,
        git_ssh_url: ssh,
        git_http_url: `${web}.git`,
        namespace: 'Course H',
        visibility_level: 0,
        path_with_namespace: 'course-h/template',
        default_branch: 'main',
        ci_config_path: null,
        homepage: web,
        url: ssh,
        ssh_url: ssh,
        http_url: `${web}.git`,
      },
      commits: [
        expect.objectContaining({ title: 'Add a.txt', added: ['a.txt'], modified: [], removed: [] }),
        {
          id: after,
          message: 'Add b.txt\n\nbody of b.txt',
          title: 'Add b.txt',
          timestamp: '2001-02-03T04:05:06+00:00', // Time#xmlschema of the committer's own date and zone
          url: `${web}/-/commit/${after}`,
          author: { name: 'T', email: 't@x.invalid' },
          added: ['b.txt'],
          modified: [],
          removed: [],
        },
      ],
      total_commits_count: 2,
      push_options: {},
      repository: {
        name: 'template',
        url: ssh,
        description: null,
        homepage: web,
        git_http_url: `${web}.git`,
        git_ssh_url: ssh,
        visibility_level: 0,
      },
    });
  });

  it('sends the newest 20 commits, oldest first, and counts them all', async () => {
    for (let i = 0; i < 25; i++) await commit(`n${i}.txt`);
    const head = (await git(['rev-parse', 'HEAD'])).out.trim();
    expect((await git(['push', '--quiet', 'origin', 'main'])).code).toBe(0);
    const [got] = await deliveries();
    const commits = got!.body.commits as Array<{ id: string; title: string }>;
    expect(commits).toHaveLength(20);
    expect(commits[0]!.title).toBe('Add n5.txt');
    expect(commits.at(-1)!.id).toBe(head);
    expect(got!.body.total_commits_count).toBe(25);
  });

  it('fires a Tag Push Hook for tags once asked, and honours the branch filter', async () => {
    const [hook] = (await (await api('GET', `/projects/${projectId}/hooks`)).json()) as Array<{ id: number }>;
    await api('PUT', `/projects/${projectId}/hooks/${hook!.id}`, {
      tag_push_events: true,
      push_events_branch_filter: 'main',
    });
    await git(['tag', '-a', '-m', 'First release', 'v1']);
    await commit('feature.txt');
    expect((await git(['push', '--quiet', 'origin', 'v1', 'HEAD:feature'])).code).toBe(0);
    const got = await deliveries();
    expect(got.map((g) => g.headers['x-gitlab-event'])).toEqual(['Tag Push Hook']);
    expect(got[0]!.body).toMatchObject({
      object_kind: 'tag_push',
      ref: 'refs/tags/v1',
      before: zeros,
      message: 'First release',
      total_commits_count: 1,
    });
    const eventUuids = new Set(got.map((g) => g.headers['x-gitlab-event-uuid']));
    expect(eventUuids.size).toBe(1);
  });

  it('fires no hook for a push of more than 3 refs of a kind (push_event_hooks_limit)', async () => {
    const refs = ['b1', 'b2', 'b3', 'b4'].map((b) => `HEAD:refs/heads/${b}`);
    expect((await git(['push', '--quiet', 'origin', ...refs])).code).toBe(0);
    expect(await deliveries()).toEqual([]);
  });

  it('retries a failed delivery with the same Idempotency-Key and a new Webhook-UUID', async () => {
    receiver.answers.push(500, 502);
    await commit('retry.txt');
    expect((await git(['push', '--quiet', 'origin', 'main'])).code).toBe(0);
    const got = await deliveries();
    expect(got).toHaveLength(3);
    expect(new Set(got.map((g) => g.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(got.map((g) => g.headers['x-gitlab-webhook-uuid'])).size).toBe(3);
    expect(
      t.lite.webhooks
        .attempts()
        .slice(-3)
        .map((a) => a.status),
    ).toEqual([500, 502, 200]);
  });

  it('delays, duplicates, fails and drops deliveries on request (test knobs)', async () => {
    // Long enough that even a loaded machine's push answers first.
    t.lite.knobs.hookDelayMs = 2_000;
    await commit('slow.txt');
    const started = Date.now();
    expect((await git(['push', '--quiet', 'origin', 'main'])).code).toBe(0);
    expect(receiver.received).toEqual([]); // the push answered first
    const [slow] = await deliveries();
    expect(slow!.at - started).toBeGreaterThanOrEqual(2_000);
    t.lite.knobs.hookDelayMs = 0;

    t.lite.knobs.hookDuplicateNext = 1;
    t.lite.knobs.hookFailNext = 1;
    await commit('twice.txt');
    await git(['push', '--quiet', 'origin', 'main']);
    const twice = await deliveries();
    expect(twice).toHaveLength(2);
    expect(twice[0]!.headers['idempotency-key']).toBe(twice[1]!.headers['idempotency-key']);
    expect(twice[0]!.headers['x-gitlab-webhook-uuid']).not.toBe(twice[1]!.headers['x-gitlab-webhook-uuid']);

    t.lite.knobs.hookDropNext = 1;
    await commit('lost.txt');
    await git(['push', '--quiet', 'origin', 'main']);
    expect(await deliveries()).toEqual([]);
  });

  it('drops the token when a hook’s URL changes without a new one, as GitLab does', async () => {
    const [hook] = (await (await api('GET', `/projects/${projectId}/hooks`)).json()) as Array<{ id: number }>;
    const moved = await api('PUT', `/projects/${projectId}/hooks/${hook!.id}`, {
      url: `${receiver.url}?v=2`,
    });
    expectSchema('public_api/v4/project_hook.json', await moved.json());
    await commit('moved.txt');
    await git(['push', '--quiet', 'origin', 'main']);
    const [got] = await deliveries();
    expect(got!.headers).not.toHaveProperty('x-gitlab-token');
  });
});
