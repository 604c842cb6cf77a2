import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { createGitlabForge, type Forge, type ForgeGroup } from '../../src/forge/index.ts';

let t: TestGitlab;
let forge: Forge;
let template: { id: number };
const retry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, sleep: async () => {}, random: () => 1 };

beforeAll(async () => {
  t = await startTestGitlab();
  forge = createGitlabForge({ url: t.lite.url, token: rootToken, retry });
  const teachers = await t.api.Groups.create('Teachers', 'teachers');
  template = (await t.api.Projects.create({
    name: 'python-101',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  })) as { id: number };
});
afterAll(async () => t.close());

async function finished(id: number) {
  for (;;) {
    const p = await forge.findProject(id);
    if (p?.importStatus === 'finished' || p?.importStatus === 'failed') return p;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the GitLab forge adapter: groups, forks, access and tokens', () => {
  let course: ForgeGroup;

  it('makes a course group once, and adopts it on the next call', async () => {
    const root = await forge.ensureGroup({ path: 'labgate', name: 'labgate', marker: 'labgate' });
    const args = { path: 'python', name: 'Python', parentId: root.id, marker: 'labgate course c1' };
    course = await forge.ensureGroup(args);
    expect(course.fullPath).toBe('labgate/python');
    expect(await forge.ensureGroup(args)).toEqual(course);
  });

  it('moves to a free path when a group of another course or a user holds it', async () => {
    const other = await forge.ensureGroup({
      path: 'python',
      name: 'Python',
      parentId: course.id,
      marker: 'x',
    });
    expect(other.fullPath).toBe('labgate/python/python');
    await t.api.Users.create({
      email: 'taken@x.invalid',
      name: 'T',
      username: 'physics',
      forceRandomPassword: true,
    });
    const physics = await forge.ensureGroup({
      path: 'physics',
      name: 'Physics',
      marker: 'labgate course c2',
    });
    expect(physics.fullPath).toBe('physics-2');
    const again = await forge.ensureGroup({
      path: 'python',
      name: 'Python',
      parentId: course.id,
      marker: 'y',
    });
    expect(again.fullPath).toBe('labgate/python/python-2');
  });

  it('forks privately, answers a repeated request with the same fork, and reports a taken path', async () => {
    const args = {
      templateId: template.id,
      namespace: course,
      path: 'python-101-alice',
      name: 'python-101 alice',
    };
    const first = await forge.startFork(args);
    if (!('project' in first)) throw new Error('expected a fork');
    const again = await forge.startFork(args);
    expect(again).toMatchObject({ project: { id: first.project.id } });
    await t.api.Projects.create({ name: 'python-101-bob', namespaceId: course.id });
    expect(await forge.startFork({ ...args, path: 'python-101-bob', name: 'python-101 bob' })).toEqual({
      taken: true,
    });
    const done = await finished(first.project.id);
    expect(done).toMatchObject({ importStatus: 'finished', forkedFromId: template.id, emptyRepo: false });
    expect((await t.api.Projects.show(first.project.id)).visibility).toBe('private');
  });

  it('gives the learner Developer access with a default branch they can push to, and a token for that repo only', async () => {
    const alice = await forge.ensureUser({
      externUid: 'sub-alice',
      username: 'alice',
      name: 'Alice',
      email: 'alice@x.invalid',
    });
    const fork = (await forge.findProject('labgate/python/python-101-alice'))!;
    await forge.grantProjectAccess(fork.id, alice.id, 30);
    await forge.grantProjectAccess(fork.id, alice.id, 30);
    await forge.openBranchToDevelopers(fork.id, fork.defaultBranch);
    await forge.openBranchToDevelopers(fork.id, fork.defaultBranch);
    const { token, expiresAt, id } = await forge.mintRepoToken(fork.id, { days: 2, access: 'write' });
    expect(expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const dir = path.join(t.work, 'alice');
    expect(
      (await runGit(['clone', '--quiet', cloneUrl(t.lite.url, fork.pathWithNamespace, token), dir], t.work))
        .code,
    ).toBe(0);
    writeFileSync(path.join(dir, 'answer.py'), 'print(1)\n');
    await runGit(['add', '.'], dir);
    await runGit(['commit', '--quiet', '-m', 'answer'], dir);
    expect((await runGit(['push', '--quiet', 'origin', 'main'], dir)).code).toBe(0);
    // Revoked after its operation: it opens nothing any more.
    await forge.revokeRepoToken(fork.id, id);
    await forge.revokeRepoToken(fork.id, id);
    const revoked = await runGit(['ls-remote', cloneUrl(t.lite.url, fork.pathWithNamespace, token)], t.work);
    expect(revoked.code).not.toBe(0);
    // A read token reads and never pushes.
    const reader = await forge.mintRepoToken(fork.id, { days: 1, access: 'read' });
    const readDir = path.join(t.work, 'alice-read');
    const read = await runGit(
      ['clone', '--quiet', cloneUrl(t.lite.url, fork.pathWithNamespace, reader.token), readDir],
      t.work,
    );
    expect(read.code).toBe(0);
    writeFileSync(path.join(readDir, 'x.py'), 'x\n');
    await runGit(['add', '.'], readDir);
    await runGit(['commit', '--quiet', '-m', 'x'], readDir);
    expect((await runGit(['push', '--quiet', 'origin', 'main'], readDir)).code).not.toBe(0);
    const template = await runGit(['ls-remote', cloneUrl(t.lite.url, 'teachers/python-101', token)], t.work);
    expect(template.code).not.toBe(0);
  });

  it('says a template is empty, and that a deleted one is gone', async () => {
    const teachers = await t.api.Groups.show('teachers');
    const empty = await t.api.Projects.create({ name: 'empty', namespaceId: teachers.id as number });
    expect((await forge.findProject(empty.id as number))?.emptyRepo).toBe(true);
    await forge.deleteProject(empty.id as number);
    await forge.deleteProject(empty.id as number);
    expect(await forge.findProject('teachers/empty')).toBeUndefined();
  });
});
