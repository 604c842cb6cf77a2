import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';

let t: TestGitlab;
let ana: { id: number; token: string };
let projectId: number;

const call = async (method: string, url: string, token = rootToken) => {
  const res = await fetch(`${t.lite.url}/api/v4${url}`, { method, headers: { 'private-token': token } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
};

beforeAll(async () => {
  t = await startTestGitlab();
  const course = await t.api.Groups.create('Course A', 'course-a');
  projectId = (
    await t.api.Projects.create({
      name: 'fork-ana',
      namespaceId: course.id as number,
      initializeWithReadme: true,
    })
  ).id as number;
  const made = await t.api.Users.create({
    email: 'ana@x.invalid',
    name: 'Ana Lyse',
    username: 'ana',
    forceRandomPassword: true,
    externUid: 'sub-ana',
    provider: 'openid_connect',
  });
  ana = {
    id: made.id as number,
    token: (await t.api.UserImpersonationTokens.create(made.id as number, 'git', ['api'])).token as string,
  };
  await t.api.ProjectMembers.add(projectId, 30, { userId: ana.id });
  await t.api.ProtectedBranches.unprotect(projectId, 'main');
});
afterAll(async () => t.close());

async function pushAs(token: string, file: string) {
  const dir = path.join(t.work, `clone-${file}`);
  expect((await runGit(['clone', cloneUrl(t.lite.url, 'course-a/fork-ana', token), dir], t.work)).code).toBe(
    0,
  );
  writeFileSync(path.join(dir, file), 'work\n');
  await runGit(['add', '.'], dir);
  await runGit(['commit', '-m', file], dir);
  return runGit(['push', 'origin', 'HEAD:main'], dir);
}

describe('gitlab-lite archived projects (POST /projects/:id/archive)', () => {
  it('refuses a Developer, then archives for the admin: read-only for git and the API, readable still', async () => {
    expect((await pushAs(ana.token, 'before.txt')).code).toBe(0);
    expect((await call('POST', `/projects/${projectId}/archive`, ana.token)).status).toBe(403);
    const archived = await call('POST', `/projects/${projectId}/archive`);
    expect(archived.status).toBe(201);
    expect(archived.body).toMatchObject({ id: projectId, archived: true });
    expect((await call('POST', `/projects/${projectId}/archive`)).status).toBe(201); // idempotent
    expect((await call('GET', `/projects/${projectId}`)).body.archived).toBe(true);

    const refused = await pushAs(ana.token, 'after.txt');
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('403');
    expect((await pushAs(rootToken, 'admin.txt')).code).not.toBe(0);
    const commit = await fetch(`${t.lite.url}/api/v4/projects/${projectId}/repository/commits`, {
      method: 'POST',
      headers: { 'private-token': rootToken, 'content-type': 'application/json' },
      body: JSON.stringify({
        branch: 'main',
        commit_message: 'x',
        actions: [{ action: 'create', file_path: 'x.txt', content: 'x' }],
      }),
    });
    expect(commit.status).toBe(403);
    const tree = await call('GET', `/projects/${projectId}/repository/tree?ref=main`, ana.token);
    expect((tree.body as unknown as Array<{ name: string }>).map((f) => f.name)).toContain('before.txt');

    expect((await call('POST', `/projects/${projectId}/unarchive`)).body.archived).toBe(false);
    expect((await pushAs(ana.token, 'again.txt')).code).toBe(0);
    expect((await call('POST', '/projects/999999/archive')).status).toBe(404);
  });
});

describe('gitlab-lite DELETE /users/:id', () => {
  it('is for admins only, then removes the account, its identity, tokens, memberships and own projects', async () => {
    const own = await call('POST', '/projects?name=notes', ana.token);
    expect(own.status).toBe(201);
    expect((await call('DELETE', `/users/${ana.id}`, ana.token)).status).toBe(403);
    expect((await call('DELETE', `/users/${ana.id}?hard_delete=true`)).status).toBe(204);
    expect((await call('GET', `/users/${ana.id}`)).body).toEqual({ message: '404 User Not Found' });
    expect((await call('GET', '/users?extern_uid=sub-ana&provider=openid_connect')).body).toEqual([]);
    expect((await call('GET', '/user', ana.token)).status).toBe(401);
    const members = await call('GET', `/projects/${projectId}/members`);
    expect(JSON.stringify(members.body)).not.toContain('ana');
    expect((await call('GET', `/projects/${own.body.id as number}`)).status).toBe(404);
    expect((await call('GET', `/projects/${projectId}`)).status).toBe(200);
    expect((await call('DELETE', `/users/${ana.id}`)).status).toBe(404);
    // The username and address are free again.
    const again = await t.api.Users.create({
      email: 'ana@x.invalid',
      name: 'Ana',
      username: 'ana',
      forceRandomPassword: true,
    });
    expect(again.username).toBe('ana');
  });
});
