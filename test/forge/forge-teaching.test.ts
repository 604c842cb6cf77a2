import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { startHookReceiver, type HookReceiver } from '../support/hook-receiver.ts';
import { createGitlabForge, ForgeCallError, type Forge, type ForgeGroup } from '../../src/forge/index.ts';

let t: TestGitlab;
let forge: Forge;
let receiver: HookReceiver;
let course: ForgeGroup;
let templateId: number;
const ids: Record<string, number> = {};
const retry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, sleep: async () => {}, random: () => 1 };
const file = (p: string, text: string) => ({ path: p, content: Buffer.from(text) });

/** A learner's push from their own machine, its commit dated 2001 by a wrong clock. */
async function pushFromClone(projectPath: string, name: string, refspec = 'main') {
  const dir = path.join(t.work, `${name}-${Math.random().toString(36).slice(2)}`);
  await runGit(['clone', '--quiet', cloneUrl(t.lite.url, projectPath, rootToken), dir], t.work);
  writeFileSync(path.join(dir, `${name}.txt`), `${name}\n`);
  await runGit(['add', '.'], dir);
  const old = { GIT_COMMITTER_DATE: '2001-01-01T00:00:00Z', GIT_AUTHOR_DATE: '2001-01-01T00:00:00Z' };
  await runGit(['commit', '--quiet', '-m', name], dir, old);
  return runGit(['push', 'origin', `HEAD:${refspec}`], dir);
}

beforeAll(async () => {
  t = await startTestGitlab();
  t.lite.knobs.hookRetryDelayMs = 10;
  forge = createGitlabForge({ url: t.lite.url, token: rootToken, retry });
  receiver = await startHookReceiver();
  const root = await forge.ensureGroup({ path: 'labgate', name: 'labgate', marker: 'labgate' });
  course = await forge.ensureGroup({
    path: 'algo',
    name: 'Algo',
    parentId: root.id,
    marker: 'labgate course algo',
  });
  templateId = (await forge.ensureProject({ namespace: course, path: 'ex1', name: 'Ex 1' })).id;
  for (const who of ['tess', 'gus', 'ada']) {
    const u = await t.api.Users.create({
      email: `${who}@x.invalid`,
      name: who,
      username: who,
      forceRandomPassword: true,
      admin: who === 'ada',
    });
    ids[who] = u.id as number;
  }
  await t.api.GroupMembers.add(course.id, 20, { userId: ids.tess! });
  await t.api.ProjectMembers.add(templateId, 10, { userId: ids.gus! });
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

describe('the GitLab forge adapter: commits, hooks, push events, locks and receipts', () => {
  it('commits files to an empty repository, making its branch, then updates and adds', async () => {
    const first = await forge.commitFiles(templateId, {
      branch: 'main',
      message: 'Add ex1',
      files: [file('ex1.ipynb', '{"cells":[]}'), file('data/a.csv', 'x,y\n')],
    });
    expect(first.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(Date.parse(first.committedAt)).toBeGreaterThan(Date.now() - 60_000);
    const second = await forge.commitFiles(templateId, {
      branch: 'main',
      message: 'Rework ex1',
      files: [file('ex1.ipynb', '{"cells":[1]}'), file('ex2.ipynb', '{}')],
    });
    expect(await forge.latestCommit(templateId, 'main')).toEqual(second);
    const raw = await t.api.RepositoryFiles.showRaw(templateId, 'ex1.ipynb', 'main');
    expect(raw).toBe('{"cells":[1]}');
    // A branch the repository does not have, in a repository that is not empty: GitLab refuses.
    await expect(
      forge.commitFiles(templateId, { branch: 'nope', message: 'm', files: [file('x', 'x')] }),
    ).rejects.toMatchObject({
      forgeStatus: 400,
      description: 'You can only create or edit files when you are on a branch',
    });
  });

  it('keeps one push hook per URL, whose token follows the newest call', async () => {
    await forge.ensurePushHook(templateId, { url: receiver.url, token: 'first' });
    await Promise.all([
      forge.ensurePushHook(templateId, { url: receiver.url, token: 'second' }),
      forge.ensurePushHook(templateId, { url: receiver.url, token: 'second' }),
    ]);
    expect(await t.api.ProjectHooks.all(templateId)).toHaveLength(1);
    await forge.commitFiles(templateId, { branch: 'main', message: 'hooked', files: [file('h.txt', 'h')] });
    await t.lite.webhooks.settled();
    const [got, ...more] = receiver.received.splice(0);
    expect(more).toEqual([]);
    expect(got!.headers).toMatchObject({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'second' });
    expect(got!.body).toMatchObject({ object_kind: 'push', project_id: templateId, ref: 'refs/heads/main' });
  });

  it('says what to do when GitLab refuses a local hook URL', async () => {
    await t.api.ApplicationSettings.edit({ allowLocalRequestsFromWebHooksAndServices: false });
    try {
      await expect(
        forge.ensurePushHook(templateId, { url: 'http://127.0.0.1:9/other', token: 'x' }),
      ).rejects.toMatchObject({
        code: 'FORGE_HOOK_URL_REFUSED',
        hint: expect.stringContaining('allow_local_requests_from_web_hooks_and_services'),
      });
    } finally {
      await t.api.ApplicationSettings.edit({ allowLocalRequestsFromWebHooksAndServices: true });
    }
  });

  it('reads branch pushes since a time from the events API, at GitLab’s clock, not the commits’ dates', async () => {
    const before = new Date();
    const head = (await forge.latestCommit(templateId, 'main'))!.sha;
    expect((await pushFromClone('labgate/algo/ex1', 'late')).code).toBe(0);
    expect((await pushFromClone('labgate/algo/ex1', 'side', 'side')).code).toBe(0);
    await t.api.Tags.create(templateId, 'v1', 'main');
    const pushes = await forge.pushEvents(templateId, before);
    const newHead = (await forge.latestCommit(templateId, 'main'))!.sha;
    expect(pushes.map((p) => ({ ...p, pushedAt: 0 }))).toEqual([
      {
        key: expect.stringMatching(/^event:\d+$/),
        projectId: templateId,
        ref: 'main',
        before: head,
        after: newHead,
        pushedAt: 0,
        author: 'root',
      },
      {
        key: expect.stringMatching(/^event:\d+$/),
        projectId: templateId,
        ref: 'side',
        before: undefined,
        after: expect.any(String),
        pushedAt: 0,
        author: 'root',
      },
    ]);
    for (const p of pushes) expect(p.pushedAt).toBeGreaterThanOrEqual(before.getTime());
    expect(await forge.pushEvents(templateId, new Date(Date.now() + 1000))).toEqual([]);
    const all = await forge.pushEvents(templateId, new Date(0));
    expect(all.length).toBeGreaterThan(pushes.length);
    expect(all.slice(-2)).toEqual(pushes);
  });

  it('leaves bulk pushes out (no ref), and reads deletions with no after', async () => {
    const since = new Date();
    const dir = path.join(t.work, 'bulk');
    await runGit(['clone', '--quiet', cloneUrl(t.lite.url, 'labgate/algo/ex1', rootToken), dir], t.work);
    await runGit(
      ['push', '--quiet', 'origin', ...['b1', 'b2', 'b3', 'b4'].map((b) => `HEAD:refs/heads/${b}`)],
      dir,
    );
    await runGit(['push', '--quiet', 'origin', ':side'], dir);
    const pushes = await forge.pushEvents(templateId, since);
    expect(pushes).toEqual([
      expect.objectContaining({ ref: 'side', after: undefined, before: expect.any(String) }),
    ]);
  });

  it('locks a protected branch for everyone, safely twice, and an unprotected one too', async () => {
    await forge.lockBranch(templateId, 'main');
    await forge.lockBranch(templateId, 'main');
    const rules = await t.api.ProtectedBranches.all(templateId);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      name: 'main',
      push_access_levels: [{ access_level: 0 }],
      merge_access_levels: [{ access_level: 0 }],
    });
    const refused = await pushFromClone('labgate/algo/ex1', 'too-late');
    expect(refused.out).toContain('You are not allowed to push code to protected branches on this project.');
    const late = forge.commitFiles(templateId, {
      branch: 'main',
      message: 'late',
      files: [file('late.txt', 'x')],
    });
    await expect(late).rejects.toBeInstanceOf(ForgeCallError);
    await expect(late).rejects.toMatchObject({ forgeStatus: 403 });
    await forge.lockBranch(templateId, 'b1');
    expect((await pushFromClone('labgate/algo/ex1', 'b1-late', 'b1')).code).not.toBe(0);
  });

  it('tags a receipt once; the second time it says the tag exists', async () => {
    const head = (await forge.latestCommit(templateId, 'main'))!.sha;
    const receipt = { name: 'receipt/tess', sha: head, message: 'Deadline 2026-06-01T12:00:00Z' };
    expect(await forge.createTag(templateId, receipt)).toBe('created');
    expect(await forge.createTag(templateId, { ...receipt, message: 'again' })).toBe('exists');
    const tag = await t.api.Tags.show(templateId, 'receipt/tess');
    expect(tag).toMatchObject({ message: 'Deadline 2026-06-01T12:00:00Z', commit: { id: head } });
    await expect(forge.createTag(templateId, { ...receipt, name: 'bad..name' })).rejects.toMatchObject({
      forgeStatus: 400,
      description: 'Tag name invalid',
    });
  });

  it('lists the projects a user reads (through a group, or public), searched and limited', async () => {
    const other = await forge.ensureProject({ namespace: course, path: 'ex2', name: 'Ex 2' });
    const outside = await t.api.Groups.create('Elsewhere', 'elsewhere');
    const open = await t.api.Projects.create({
      name: 'open-ex',
      namespaceId: outside.id as number,
      visibility: 'public',
    });
    await t.api.Projects.create({ name: 'closed-ex', namespaceId: outside.id as number });
    const tess = await forge.readableProjects(ids.tess!, '', 50);
    expect(tess.map((p) => p.pathWithNamespace).sort()).toEqual([
      'elsewhere/open-ex',
      'labgate/algo/ex1',
      'labgate/algo/ex2',
    ]);
    expect(tess.find((p) => p.id === other.id)).toEqual({
      id: other.id,
      pathWithNamespace: 'labgate/algo/ex2',
      name: 'Ex 2',
      emptyRepo: true,
    });
    expect((await forge.readableProjects(ids.tess!, 'ex2', 50)).map((p) => p.id)).toEqual([other.id]);
    expect(await forge.readableProjects(ids.tess!, '', 1)).toHaveLength(1);
    // A Guest reads no code: only the public project.
    expect((await forge.readableProjects(ids.gus!, 'ex', 50)).map((p) => p.id)).toEqual([open.id]);
    await expect(forge.readableProjects(999_999, '', 10)).rejects.toMatchObject({ forgeStatus: 404 });
  });

  it('tells who can read a project: Reporters via a group, admins, anyone for a public one', async () => {
    const open = (await t.api.Projects.show('elsewhere/open-ex')).id as number;
    expect(await forge.canRead(ids.tess!, templateId)).toBe(true);
    expect(await forge.canRead(ids.gus!, templateId)).toBe(false); // a Guest
    expect(await forge.canRead(ids.gus!, open)).toBe(true);
    expect(await forge.canRead(ids.ada!, templateId)).toBe(true);
    expect(await forge.canRead(ids.tess!, 999_999)).toBe(false);
    expect(await forge.canRead(999_999, templateId)).toBe(false);
  });
});
