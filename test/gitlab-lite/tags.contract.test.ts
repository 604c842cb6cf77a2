import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootToken, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';
import { startHookReceiver, type HookReceiver } from '../support/hook-receiver.ts';

let t: TestGitlab;
let receiver: HookReceiver;
let projectId: number;
let head: string;
let reporter: string;

const api = (method: string, url: string, body?: unknown, token = rootToken) =>
  fetch(`${t.lite.url}/api/v4/projects/${projectId}${url}`, {
    method,
    headers: { 'private-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const answer = async (res: Response) => [res.status, res.status === 204 ? null : await res.json()];

beforeAll(async () => {
  t = await startTestGitlab();
  receiver = await startHookReceiver();
  const group = await t.api.Groups.create('Course T', 'course-t');
  projectId = (
    await t.api.Projects.create({ name: 'fork', namespaceId: group.id as number, initializeWithReadme: true })
  ).id as number;
  head = (await t.api.Branches.show(projectId, 'main')).commit.id as string;
  const rita = await t.api.Users.create({
    email: 'r@x.invalid',
    name: 'Rita',
    username: 'rita',
    forceRandomPassword: true,
  });
  await t.api.ProjectMembers.add(projectId, 20, { userId: rita.id as number });
  reporter = (await t.api.UserImpersonationTokens.create(rita.id as number, 'api', ['api'])).token as string;
  await api('POST', '/hooks', { url: receiver.url, push_events: false, tag_push_events: true });
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

describe('gitlab-lite repository tags', () => {
  it('creates an annotated tag with a message (tag.json), its time the server’s, and fires a Tag Push Hook', async () => {
    const started = Date.now();
    const res = await api('POST', '/repository/tags', {
      tag_name: 'receipt/ana',
      ref: head,
      message: ' Deadline receipt \n',
    });
    expect(res.status).toBe(201);
    const tag = (await res.json()) as Record<string, unknown>;
    expectSchema('public_api/v4/tag.json', tag);
    expect(tag).toMatchObject({
      name: 'receipt/ana',
      message: 'Deadline receipt',
      release: null,
      protected: false,
    });
    expect(tag.target).toMatch(/^[0-9a-f]{40}$/);
    expect(tag.target).not.toBe(head); // the tag object, not the commit
    expect((tag.commit as { id: string }).id).toBe(head);
    expect(Date.parse(tag.created_at as string)).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
    await t.lite.webhooks.settled();
    expect(receiver.received.map((r) => [r.headers['x-gitlab-event'], r.body.ref, r.body.message])).toEqual([
      ['Tag Push Hook', 'refs/tags/receipt/ana', 'Deadline receipt'],
    ]);
  });

  it('reads a tag by its URL-encoded name and lists tags (tags.json)', async () => {
    const one = await api('GET', `/repository/tags/${encodeURIComponent('receipt/ana')}`);
    expect(one.status).toBe(200);
    expectSchema('public_api/v4/tag.json', await one.json());
    const light = await api('POST', '/repository/tags', { tag_name: 'v1', ref: 'main' });
    expect(await light.json()).toMatchObject({ name: 'v1', message: null, target: head, created_at: null });
    const list = (await (await api('GET', '/repository/tags?order_by=name&sort=asc')).json()) as Array<{
      name: string;
    }>;
    expectSchema('public_api/v4/tags.json', list);
    expect(list.map((x) => x.name)).toEqual(['receipt/ana', 'v1']);
    const found = (await (await api('GET', '/repository/tags?search=^rec')).json()) as Array<{
      name: string;
    }>;
    expect(found.map((x) => x.name)).toEqual(['receipt/ana']);
  });

  it('refuses a taken name, an invalid name and an unknown ref with 400, as Tags::CreateService says', async () => {
    expect(
      await answer(
        await api('POST', '/repository/tags', { tag_name: 'receipt/ana', ref: head, message: 'again' }),
      ),
    ).toEqual([400, { message: 'Tag receipt/ana already exists' }]);
    for (const name of ['bad..name', '-x', 'a b', 'HEAD', 'refs/heads/x'])
      expect(await answer(await api('POST', '/repository/tags', { tag_name: name, ref: head }))).toEqual([
        400,
        { message: 'Tag name invalid' },
      ]);
    expect(await answer(await api('POST', '/repository/tags', { tag_name: 'v2', ref: 'nope' }))).toEqual([
      400,
      { message: 'Target nope is invalid' },
    ]);
    expect(await answer(await api('POST', '/repository/tags', { ref: head }))).toEqual([
      400,
      { error: 'tag_name is missing' },
    ]);
  });

  it('lets Developers make and delete tags, not Reporters; a deleted tag is 404', async () => {
    expect((await api('POST', '/repository/tags', { tag_name: 'v3', ref: head }, reporter)).status).toBe(403);
    expect((await api('DELETE', '/repository/tags/v1', undefined, reporter)).status).toBe(403);
    expect((await api('DELETE', '/repository/tags/v1')).status).toBe(204);
    expect(await answer(await api('GET', '/repository/tags/v1'))).toEqual([
      404,
      { message: '404 Tag Not Found' },
    ]);
    expect(await answer(await api('DELETE', '/repository/tags/v1'))).toEqual([
      404,
      { message: '404 Tag Not Found' },
    ]);
  });
});
