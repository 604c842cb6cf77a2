import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';

let t: TestGitlab;
let projectId: number;
const api = (p: string, init: RequestInit = {}) =>
  fetch(`${t.lite.url}/api/v4${p}`, { ...init, headers: { 'private-token': rootToken, ...init.headers } });

beforeAll(async () => {
  t = await startTestGitlab();
  const group = await t.api.Groups.create('Course', 'course');
  const project = await t.api.Projects.create({
    name: 'template',
    namespaceId: group.id as number,
    initializeWithReadme: true,
  });
  projectId = project.id as number;
  const dir = path.join(t.work, 'template');
  await runGit(['clone', '--quiet', cloneUrl(t.lite.url, 'course/template', rootToken), dir], t.work);
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src', 'main.py'), 'print("hello")\n');
  writeFileSync(path.join(dir, 'notebook.ipynb'), '{"cells": []}\n');
  await runGit(['add', '.'], dir);
  await runGit(['commit', '--quiet', '-m', 'Add the exercise\n\nWith a notebook.'], dir);
  await runGit(['push', '--quiet', 'origin', 'main'], dir);
});
afterAll(async () => t.close());

describe('gitlab-lite repository files and tree', () => {
  it('serves a file with base64 content and GitLab’s metadata, raw, and its headers alone', async () => {
    const file = await t.api.RepositoryFiles.show(projectId, 'src/main.py', 'main');
    expect(file).toMatchObject({
      file_name: 'main.py',
      file_path: 'src/main.py',
      encoding: 'base64',
      ref: 'main',
    });
    expect(Buffer.from(file.content as string, 'base64').toString()).toBe('print("hello")\n');
    expect(file.last_commit_id).toBe(file.commit_id);
    const raw = await t.api.RepositoryFiles.showRaw(projectId, 'src/main.py', 'main');
    expect(await new Response(raw as Blob).text()).toBe('print("hello")\n');
    const head = await api(`/projects/${projectId}/repository/files/src%2Fmain.py?ref=main`, {
      method: 'HEAD',
    });
    expect(head.headers.get('x-gitlab-blob-id')).toBe(file.blob_id);
    expect(head.headers.get('x-gitlab-size')).toBe('15');
  });

  it('answers a missing file, a missing ref parameter and a path outside the tree as GitLab does', async () => {
    const missing = await api(`/projects/${projectId}/repository/files/nope.py?ref=main`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: '404 File Not Found' });
    const noRef = await api(`/projects/${projectId}/repository/files/README.md`);
    expect(noRef.status).toBe(400);
    expect(await noRef.json()).toEqual({ error: 'ref is missing' });
    const escape = await api(`/projects/${projectId}/repository/files/..%2F..%2Fetc%2Fpasswd?ref=main`);
    expect(escape.status).toBe(404);
  });

  it('lists the tree, recursively or under a path, paginated', async () => {
    const top = await t.api.Repositories.allRepositoryTrees(projectId, { ref: 'main' });
    expect(top.map((e) => `${e.type} ${e.path}`).sort()).toEqual([
      'blob README.md',
      'blob notebook.ipynb',
      'tree src',
    ]);
    const all = await t.api.Repositories.allRepositoryTrees(projectId, { recursive: true });
    expect(all.map((e) => e.path)).toContain('src/main.py');
    const sub = await api(`/projects/${projectId}/repository/tree?path=src&per_page=1`);
    expect(sub.headers.get('x-total')).toBe('1');
    expect((await sub.json()) as unknown[]).toEqual([
      expect.objectContaining({ name: 'main.py', mode: '100644' }),
    ]);
    expect((await api(`/projects/${projectId}/repository/tree?path=nowhere`)).status).toBe(404);
  });
});

describe('gitlab-lite commits, branches, compare and archive', () => {
  it('lists commits newest first, with stats on request (commits.json, commits_with_stats.json)', async () => {
    const commits = await t.api.Commits.all(projectId, { refName: 'main' });
    expectSchema('public_api/v4/commits.json', commits);
    expect(commits.map((c) => c.title)).toEqual(['Add the exercise', 'Initial commit']);
    expect(commits[0]!.message).toBe('Add the exercise\n\nWith a notebook.');
    const withStats = await (await api(`/projects/${projectId}/repository/commits?with_stats=true`)).json();
    expectSchema('public_api/v4/commits_with_stats.json', withStats);
    expect((withStats as Array<{ stats: { additions: number } }>)[0]!.stats.additions).toBe(2);
    const onlySrc = await t.api.Commits.all(projectId, { path: 'src' });
    expect(onlySrc).toHaveLength(1);
  });

  it('shows one commit in detail (commit/detail.json) and 404s an unknown one', async () => {
    const [latest] = await t.api.Commits.all(projectId);
    const detail = await t.api.Commits.show(projectId, latest!.id as string);
    expectSchema('public_api/v4/commit/detail.json', detail);
    expect(detail.project_id).toBe(projectId);
    const unknown = await api(`/projects/${projectId}/repository/commits/${'0'.repeat(40)}`);
    expect(unknown.status).toBe(404);
  });

  it('creates a branch from a ref (branch.json), and refuses a duplicate or a bad ref', async () => {
    const branch = await t.api.Branches.create(projectId, 'feature/x', 'main');
    expectSchema('public_api/v4/branch.json', branch);
    expect(branch).toMatchObject({ name: 'feature/x', protected: false, default: false });
    const again = await api(`/projects/${projectId}/repository/branches?branch=feature/x&ref=main`, {
      method: 'POST',
    });
    expect(await again.json()).toEqual({ message: 'Branch already exists' });
    const bad = await api(`/projects/${projectId}/repository/branches?branch=y&ref=nope`, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: 'Invalid reference name: nope' });
  });

  it('compares a fork with its template after both moved on', async () => {
    const fork = await t.api.Projects.fork(projectId, { namespacePath: 'root' });
    while ((await t.api.Projects.show(fork.id as number)).import_status !== 'finished')
      await new Promise((r) => setTimeout(r, 20));
    const dir = path.join(t.work, 'fork');
    await runGit(['clone', '--quiet', cloneUrl(t.lite.url, 'root/template', rootToken), dir], t.work);
    writeFileSync(path.join(dir, 'src', 'main.py'), 'print("answer")\n');
    await runGit(['commit', '--quiet', '-am', 'My answer'], dir);
    await runGit(['push', '--quiet', 'origin', 'main'], dir);
    const teacher = path.join(t.work, 'template');
    writeFileSync(path.join(teacher, 'HINTS.md'), 'Read the docs.\n');
    await runGit(['add', '.'], teacher);
    await runGit(['commit', '--quiet', '-m', 'Add hints'], teacher);
    await runGit(['push', '--quiet', 'origin', 'main'], teacher);
    const compare = await t.api.Repositories.compare(fork.id as number, 'main', 'main', {
      fromProjectId: projectId,
    });
    expect((compare.commits as Array<{ title: string }>).map((c) => c.title)).toEqual(['My answer']);
    expect(compare.diffs).toEqual([
      expect.objectContaining({
        old_path: 'src/main.py',
        new_path: 'src/main.py',
        new_file: false,
        diff: '@@ -1 +1 @@\n-print("hello")\n+print("answer")\n',
      }),
    ]);
    const same = await t.api.Repositories.compare(projectId, 'main', 'main');
    expect(same).toMatchObject({ compare_same_ref: true, commits: [], diffs: [] });
  });

  it('refuses to compare with a project the caller may not read (another learner’s private fork)', async () => {
    const mallory = await t.api.Users.create({
      username: 'mallory',
      name: 'Mallory',
      email: 'mallory@x.invalid',
      password: 'a-long-password-1',
      skipConfirmation: true,
    });
    const pat = (await (
      await api(`/users/${mallory.id}/impersonation_tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'pat', scopes: ['api'] }),
      })
    ).json()) as { token: string };
    const own = (await (
      await fetch(`${t.lite.url}/api/v4/projects`, {
        method: 'POST',
        headers: { 'private-token': pat.token, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'mine', initialize_with_readme: true }),
      })
    ).json()) as { id: number };
    const asMallory = (from: number) =>
      fetch(
        `${t.lite.url}/api/v4/projects/${own.id}/repository/compare?from=main&to=main&from_project_id=${from}`,
        {
          headers: { 'private-token': pat.token },
        },
      );
    const refused = await asMallory(projectId);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({ message: '404 Project Not Found' });
    expect((await asMallory(own.id as number)).status).toBe(200);
  });

  it('serves the repository as a tar.gz and a zip that unpack to the files', async () => {
    const blob = (await t.api.Repositories.showArchive(projectId, { fileType: 'tar.gz' })) as Blob;
    const tarball = path.join(t.work, 'archive.tar.gz');
    writeFileSync(tarball, Buffer.from(await blob.arrayBuffer()));
    const out = path.join(t.work, 'unpacked');
    mkdirSync(out);
    execFileSync('tar', ['-xzf', tarball, '-C', out]);
    const [top] = execFileSync('ls', [out], { encoding: 'utf8' }).split('\n');
    expect(top).toMatch(/^template-main-[0-9a-f]{40}$/);
    expect(readFileSync(path.join(out, top!, 'src', 'main.py'), 'utf8')).toBe('print("hello")\n');
    const zip = await api(`/projects/${projectId}/repository/archive.zip`);
    expect(zip.headers.get('content-disposition')).toMatch(/filename="template-main-[0-9a-f]{40}\.zip"/);
    expect(
      Buffer.from(await zip.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });
});
