import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';

let t: TestGitlab;
beforeAll(async () => {
  t = await startTestGitlab();
  const group = await t.api.Groups.create('Tokens', 'tokens');
  for (const name of ['one', 'two'])
    await t.api.Projects.create({ name, namespaceId: group.id as number, initializeWithReadme: true });
});
afterAll(async () => t.close());

const git = (args: string[], cwd = t.work) => runGit(args, cwd);
const inTwoDays = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

async function projectToken(project: string, accessLevel = 30) {
  const res = await fetch(`${t.lite.url}/api/v4/projects/${encodeURIComponent(project)}/access_tokens`, {
    method: 'POST',
    headers: { 'private-token': rootToken, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'workspace',
      scopes: ['read_repository', 'write_repository'],
      access_level: accessLevel,
      expires_at: inTwoDays(),
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; token: string; user_id: number };
}

describe('gitlab-lite project access tokens', () => {
  it('mints a token that clones and pushes its own project and reaches no other (resource_access_token.json)', async () => {
    const minted = await projectToken('tokens/one');
    const { token, ...shown } = minted;
    expectSchema('public_api/v4/resource_access_token.json', shown);
    expect(token).toMatch(/^glpat-/);
    const dir = path.join(t.work, 'one');
    expect((await git(['clone', '--quiet', cloneUrl(t.lite.url, 'tokens/one', token), dir])).code).toBe(0);
    writeFileSync(path.join(dir, 'work.txt'), 'mine\n');
    await git(['add', '.'], dir);
    await git(['commit', '--quiet', '-m', 'work'], dir);
    await git(['checkout', '--quiet', '-b', 'feature'], dir);
    expect((await git(['push', '--quiet', 'origin', 'feature'], dir)).code).toBe(0);
    const other = await git(['clone', '--quiet', cloneUrl(t.lite.url, 'tokens/two', token), 'other']);
    expect(other.code).not.toBe(0);
    expect(other.out).toContain('could not be found');
  });

  it('lists live tokens and stops a revoked one from working (resource_access_tokens.json)', async () => {
    const minted = await projectToken('tokens/two');
    const list = await (
      await fetch(`${t.lite.url}/api/v4/projects/tokens%2Ftwo/access_tokens`, {
        headers: { 'private-token': rootToken },
      })
    ).json();
    expectSchema('public_api/v4/resource_access_tokens.json', list);
    expect((list as Array<{ id: number }>).map((x) => x.id)).toEqual([minted.id]);
    const revoke = await fetch(`${t.lite.url}/api/v4/projects/tokens%2Ftwo/access_tokens/${minted.id}`, {
      method: 'DELETE',
      headers: { 'private-token': rootToken },
    });
    expect(revoke.status).toBe(204);
    const clone = await git(['clone', '--quiet', cloneUrl(t.lite.url, 'tokens/two', minted.token), 'gone']);
    expect(clone.code).not.toBe(0);
  });

  it('refuses a token without scopes, or one that expires in the past', async () => {
    const post = (body: object) =>
      fetch(`${t.lite.url}/api/v4/projects/tokens%2Fone/access_tokens`, {
        method: 'POST',
        headers: { 'private-token': rootToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const noScopes = await post({ name: 'x' });
    expect(noScopes.status).toBe(400);
    expect(await noScopes.json()).toEqual({ error: 'scopes is missing' });
    const past = await post({ name: 'x', scopes: ['read_repository'], expires_at: '2020-01-01' });
    expect(past.status).toBe(400);
  });
});

describe('gitlab-lite project deletion and empty repositories', () => {
  it('says a project without commits is an empty repo, and one with a README is not', async () => {
    const group = await t.api.Groups.show('tokens');
    const empty = await t.api.Projects.create({ name: 'empty', namespaceId: group.id as number });
    expect(empty.empty_repo).toBe(true);
    expect((await t.api.Projects.show('tokens/one')).empty_repo).toBe(false);
  });

  it('deletes a project (202), frees its path, and leaves its forks standing unlinked', async () => {
    const group = await t.api.Groups.show('tokens');
    const doomed = await t.api.Projects.create({
      name: 'doomed',
      namespaceId: group.id as number,
      initializeWithReadme: true,
    });
    const fork = await t.api.Projects.fork(doomed.id as number, { namespacePath: 'root' });
    while ((await t.api.Projects.show(fork.id as number)).import_status !== 'finished')
      await new Promise((r) => setTimeout(r, 20));
    const res = await fetch(`${t.lite.url}/api/v4/projects/tokens%2Fdoomed`, {
      method: 'DELETE',
      headers: { 'private-token': rootToken },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ message: '202 Accepted' });
    await expect(t.api.Projects.show('tokens/doomed')).rejects.toMatchObject({
      cause: { response: { status: 404 } },
    });
    expect((await t.api.Projects.show(fork.id as number)).forked_from_project).toBeUndefined();
    const again = await t.api.Projects.create({ name: 'doomed', namespaceId: group.id as number });
    expect(again.path_with_namespace).toBe('tokens/doomed');
  });
});
