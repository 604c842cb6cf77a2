import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';

let t: TestGitlab;
let projectId: number;
let bot: string;
const refusal = 'GitLab: You are not allowed to push code to protected branches on this project.';

const api = (method: string, url: string, body?: unknown) =>
  fetch(`${t.lite.url}/api/v4/projects/${projectId}${url}`, {
    method,
    headers: { 'private-token': rootToken, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

/** A clone as `token`, one new commit, pushed to main: git's exit code and output. */
async function pushAs(token: string, name: string) {
  const dir = path.join(t.work, name);
  await runGit(['clone', '--quiet', cloneUrl(t.lite.url, 'course-l/fork', token), dir], t.work);
  writeFileSync(path.join(dir, `${name}.txt`), `${Math.random()}\n`);
  await runGit(['add', '.'], dir);
  await runGit(['commit', '--quiet', '-m', name], dir);
  return runGit(['push', 'origin', 'main'], dir);
}

beforeAll(async () => {
  t = await startTestGitlab();
  const group = await t.api.Groups.create('Course L', 'course-l');
  projectId = (
    await t.api.Projects.create({ name: 'fork', namespaceId: group.id as number, initializeWithReadme: true })
  ).id as number;
  const expires = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  bot = (
    await t.api.ProjectAccessTokens.create(projectId, 'labgate-workspace', ['write_repository'], expires, {
      accessLevel: 40,
    })
  ).token as string;
});
afterAll(async () => t.close());

describe('gitlab-lite branch lock (push_access_level 0)', () => {
  it('replaces the default protection with "No one" (protected_branch.json)', async () => {
    expect((await pushAs(bot, 'bot-before')).code).toBe(0);
    expect((await api('DELETE', '/protected_branches/main')).status).toBe(204);
    const res = await api('POST', '/protected_branches', {
      name: 'main',
      push_access_level: 0,
      merge_access_level: 0,
    });
    expect(res.status).toBe(201);
    const rule = await res.json();
    expectSchema('protected_branch.json', rule);
    expect(rule).toMatchObject({
      name: 'main',
      push_access_levels: [{ access_level: 0, access_level_description: 'No one' }],
      merge_access_levels: [{ access_level: 0 }],
    });
    const again = await api('POST', '/protected_branches', { name: 'main', push_access_level: 0 });
    expect([again.status, await again.json()]).toEqual([
      409,
      { message: "Protected branch 'main' already exists" },
    ]);
  });

  it('refuses pushes from everyone in pre-receive: admins, Maintainers’ bots, the API', async () => {
    for (const [token, name] of [
      [rootToken, 'root'],
      [bot, 'bot'],
    ] as const) {
      const pushed = await pushAs(token, name);
      expect(pushed.code).not.toBe(0);
      expect(pushed.out).toContain(refusal);
    }
    const res = await api('POST', '/repository/commits', {
      branch: 'main',
      commit_message: 'late',
      actions: [{ action: 'create', file_path: 'late.txt', content: 'x' }],
    });
    expect([res.status, await res.json()]).toEqual([
      403,
      { message: '403 Forbidden - You are not allowed to push into this branch' },
    ]);
    const branch = (await (await api('GET', '/repository/branches/main')).json()) as Record<string, unknown>;
    expect(branch).toMatchObject({ protected: true, developers_can_push: false, can_push: false });
  });

  it('opens again once the rule is deleted', async () => {
    expect((await api('DELETE', '/protected_branches/main')).status).toBe(204);
    expect((await api('DELETE', '/protected_branches/main')).status).toBe(404);
    expect((await pushAs(bot, 'bot-after')).code).toBe(0);
  });
});
