import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Gitlab } from '@gitbeaker/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cloneUrl as urlOf,
  rootToken,
  runGit,
  startTestGitlab,
  type TestGitlab,
} from '../support/gitlab-lite.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';

let t: TestGitlab;
beforeAll(async () => {
  t = await startTestGitlab();
});
afterAll(async () => t.close());

const git = (args: string[], cwd = t.work) => runGit(args, cwd);
const cloneUrl = (fullPath: string, token?: string) => urlOf(t.lite.url, fullPath, token);

async function learnerToken(username: string) {
  const user = await t.api.Users.create({
    email: `${username}@x.invalid`,
    name: username,
    username,
    forceRandomPassword: true,
  });
  const token = await t.api.UserImpersonationTokens.create(user.id as number, 'git', [
    'api',
    'write_repository',
  ]);
  return token.token as string;
}

describe('gitlab-lite groups and projects', () => {
  it('creates groups and subgroups, found by id or by path', async () => {
    const course = await t.api.Groups.create('Recherche reproductible', 'course-rr');
    const run = await t.api.Groups.create('2026', '2026', { parentId: course.id as number });
    expect(run).toMatchObject({
      full_path: 'course-rr/2026',
      parent_id: course.id,
      full_name: 'Recherche reproductible / 2026',
    });
    expect((await t.api.Groups.show('course-rr/2026')).id).toBe(run.id);
    expect((await t.api.Namespaces.show('course-rr/2026')).kind).toBe('group');
  });

  it('refuses a group path already taken, in GitLab’s words', async () => {
    await learnerToken('taken');
    const res = await fetch(`${t.lite.url}/api/v4/groups`, {
      method: 'POST',
      headers: { 'private-token': rootToken, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Taken', path: 'taken' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'Failed to save group {:path=>["has already been taken"]}' });
  });

  it('creates a project with a README, derives its path from an accented name, and lists it (projects.json)', async () => {
    const run = await t.api.Groups.show('course-rr/2026');
    const project = await t.api.Projects.create({
      name: 'Exercice 1 — Données',
      namespaceId: run.id as number,
      initializeWithReadme: true,
    });
    expect(project).toMatchObject({
      path: 'exercice-1-donnees',
      path_with_namespace: 'course-rr/2026/exercice-1-donnees',
      default_branch: 'main',
      visibility: 'private',
    });
    expect((await t.api.Projects.show('course-rr/2026/exercice-1-donnees')).id).toBe(project.id);
    const simple = await t.api.Projects.all({ simple: true });
    expectSchema('public_api/v4/projects.json', simple);
  });

  it('answers a taken name and path with a validation body', async () => {
    const run = await t.api.Groups.show('course-rr/2026');
    const res = await fetch(`${t.lite.url}/api/v4/projects`, {
      method: 'POST',
      headers: { 'private-token': rootToken, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Exercice 1 — Données', namespace_id: run.id }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message: { name: ['has already been taken'], path: ['has already been taken'] },
    });
  });

  it('serves the repository over smart HTTP to whoever may read it, and takes pushes from writers', async () => {
    const url = cloneUrl('course-rr/2026/exercice-1-donnees', rootToken);
    expect((await git(['clone', '--quiet', url, 'admin-copy'])).code).toBe(0);
    expect(readFileSync(path.join(t.work, 'admin-copy', 'README.md'), 'utf8')).toBe(
      '# Exercice 1 — Données\n',
    );
    writeFileSync(path.join(t.work, 'admin-copy', 'ex1.py'), 'print(42)\n');
    const copy = path.join(t.work, 'admin-copy');
    await git(['add', 'ex1.py'], copy);
    await git(['commit', '--quiet', '-m', 'Add exercise'], copy);
    expect((await git(['push', '--quiet', 'origin', 'main'], copy)).code).toBe(0);
    expect((await git(['clone', '--quiet', url, 'second-copy'])).code).toBe(0);
    expect(readFileSync(path.join(t.work, 'second-copy', 'ex1.py'), 'utf8')).toBe('print(42)\n');
  });

  it('asks for credentials without a token, and hides private projects from others', async () => {
    const anonymous = await git(['clone', '--quiet', cloneUrl('course-rr/2026/exercice-1-donnees'), 'anon']);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.out).toMatch(/could not read Username|Authentication failed/);
    const stranger = await learnerToken('stranger');
    const denied = await git([
      'clone',
      '--quiet',
      cloneUrl('course-rr/2026/exercice-1-donnees', stranger),
      'denied',
    ]);
    expect(denied.code).not.toBe(0);
    expect(denied.out).toContain('could not be found');
    const asStranger = new Gitlab({ host: t.lite.url, token: stranger });
    await expect(asStranger.Projects.show('course-rr/2026/exercice-1-donnees')).rejects.toMatchObject({
      cause: { response: { status: 404 } },
    });
  });

  it('lets a learner push to a project in their own namespace', async () => {
    const token = await learnerToken('lea');
    const asLea = new Gitlab({ host: t.lite.url, token });
    const project = await asLea.Projects.create({ name: 'notes' });
    expect(project.path_with_namespace).toBe('lea/notes');
    const dir = path.join(t.work, 'lea-notes');
    await git(['init', '--quiet', '--initial-branch=main', dir]);
    writeFileSync(path.join(dir, 'notes.md'), 'hello\n');
    await git(['add', '.'], dir);
    await git(['commit', '--quiet', '-m', 'first'], dir);
    expect((await git(['push', '--quiet', cloneUrl('lea/notes', token), 'main'], dir)).code).toBe(0);
  });
});
