import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Gitlab } from '@gitbeaker/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';

let t: TestGitlab;
let projectId: number;
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};
const git = (args: string[], cwd = t.work) => runGit(args, cwd);

const url = (who: string) => {
  const u = new URL(`${t.lite.url}/course-x/template.git`);
  u.username = who;
  u.password = tokens[who]!;
  return u.href;
};

async function commitIn(dir: string, file: string) {
  writeFileSync(path.join(dir, file), `${file}\n`);
  await git(['add', file], dir);
  await git(['commit', '--quiet', '-m', `add ${file}`], dir);
}

beforeAll(async () => {
  t = await startTestGitlab();
  const group = await t.api.Groups.create('Course X', 'course-x');
  projectId = (
    await t.api.Projects.create({
      name: 'template',
      namespaceId: group.id as number,
      initializeWithReadme: true,
    })
  ).id as number;
  for (const who of ['ana', 'gus']) {
    const user = await t.api.Users.create({
      email: `${who}@x.invalid`,
      name: who,
      username: who,
      forceRandomPassword: true,
    });
    ids[who] = user.id as number;
    tokens[who] = (
      await t.api.UserImpersonationTokens.create(user.id as number, 'git', ['api', 'write_repository'])
    ).token as string;
  }
  tokens.root = rootToken;
});
afterAll(async () => t.close());

describe('gitlab-lite members and protected branches', () => {
  it('adds members with GitLab’s access levels (members.json), refusing duplicates with 409', async () => {
    await t.api.ProjectMembers.add(projectId, 30, { userId: ids.ana! });
    await t.api.ProjectMembers.add(projectId, 10, { userId: ids.gus! });
    const members = await t.api.ProjectMembers.all(projectId);
    expectSchema('public_api/v4/members.json', members);
    expect(members.map((m) => [m.username, m.access_level])).toEqual([
      ['ana', 30],
      ['gus', 10],
    ]);
    await expect(t.api.ProjectMembers.add(projectId, 30, { userId: ids.ana! })).rejects.toMatchObject({
      cause: { description: 'Member already exists' },
    });
  });

  it('protects the default branch for Maintainers, as GitLab does (protected_branch.json)', async () => {
    const branches = await t.api.ProtectedBranches.all(projectId);
    expectSchema('protected_branches.json', branches);
    expect(branches[0]).toMatchObject({ name: 'main', push_access_levels: [{ access_level: 40 }] });
  });

  it('lets a Developer clone and push a branch, but not push to the protected default branch', async () => {
    expect((await git(['clone', '--quiet', url('ana'), 'ana'])).code).toBe(0);
    const dir = path.join(t.work, 'ana');
    await commitIn(dir, 'answer.py');
    const denied = await git(['push', 'origin', 'main'], dir);
    expect(denied.code).not.toBe(0);
    expect(denied.out).toContain(
      'GitLab: You are not allowed to push code to protected branches on this project.',
    );
    expect((await git(['push', '--quiet', 'origin', 'main:work'], dir)).code).toBe(0);
  });

  it('opens the default branch to Developers once the Maintainer changes the rule, force pushes still refused', async () => {
    await t.api.ProtectedBranches.unprotect(projectId, 'main');
    const rule = await t.api.ProtectedBranches.protect(projectId, 'main', {
      pushAccessLevel: 30,
      mergeAccessLevel: 30,
    });
    expectSchema('protected_branch.json', rule);
    const dir = path.join(t.work, 'ana');
    expect((await git(['push', '--quiet', 'origin', 'main'], dir)).code).toBe(0);
    await git(['reset', '--quiet', '--hard', 'HEAD~1'], dir);
    await commitIn(dir, 'rewritten.py');
    const forced = await git(['push', '--force', 'origin', 'main'], dir);
    expect(forced.out).toContain(
      'You are not allowed to force push code to a protected branch on this project.',
    );
    await expect(t.api.ProtectedBranches.protect(projectId, 'main')).rejects.toMatchObject({
      cause: { description: "Protected branch 'main' already exists" },
    });
  });

  it('lets a Guest see the project but not download its code', async () => {
    const asGus = new Gitlab({ host: t.lite.url, token: tokens.gus! });
    expect((await asGus.Projects.show(projectId)).id).toBe(projectId);
    const clone = await git(['clone', '--quiet', url('gus'), 'gus']);
    expect(clone.code).not.toBe(0);
    expect(clone.out).toContain('You are not allowed to download code from this project.');
  });

  it('refuses member management to non-maintainers', async () => {
    const asAna = new Gitlab({ host: t.lite.url, token: tokens.ana! });
    await expect(asAna.ProjectMembers.add(projectId, 30, { userId: ids.gus! })).rejects.toMatchObject({
      cause: { response: { status: 403 } },
    });
  });

  it('lists branches with their last commit and protection (branches.json, branch.json)', async () => {
    const branches = await t.api.Branches.all(projectId);
    expectSchema('public_api/v4/branches.json', branches);
    const byName = Object.fromEntries(branches.map((b) => [b.name, b]));
    expect(byName.main).toMatchObject({ protected: true, default: true, developers_can_push: true });
    expect(byName.work).toMatchObject({ protected: false, default: false });
    const work = await t.api.Branches.show(projectId, 'work');
    expectSchema('public_api/v4/branch.json', work);
    expect((work.commit as { title: string }).title).toBe('add answer.py');
    await expect(t.api.Branches.show(projectId, 'nope')).rejects.toMatchObject({
      cause: { description: '404 Branch Not Found' },
    });
  });
});
