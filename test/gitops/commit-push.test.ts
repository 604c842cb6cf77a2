import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { closeLocalSandboxes } from '../support/local-sandbox.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAndPush, pull, summarize } from '../../src/gitops/index.ts';
import { rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { learnerRig, notebook } from './learner-repo-rig.ts';

let t: TestGitlab;
beforeAll(async () => {
  t = await startTestGitlab();
});
afterAll(async () => {
  await closeLocalSandboxes();
  await t?.close();
});

const start = () =>
  learnerRig(t, { 'ex.ipynb': notebook([{ id: 'q1', source: '# answer' }]), 'README.md': 'hi\n' });

async function forkLog(forkPath: string) {
  const commits = await t.api.Commits.all(forkPath, { refName: 'main' });
  return commits.map((c) => ({ title: c.title, author: c.author_name, email: c.author_email }));
}

describe('Commit & push', () => {
  it('saves every change to the learner’s fork, authored as the learner', async () => {
    const r = await start();
    r.learnerEdits({ 'ex.ipynb': notebook([{ id: 'q1', source: 'answer = 42' }]), 'mine.py': 'print(1)\n' });
    const status = await summarize(r.repo);
    expect(status.changed).toEqual(
      expect.arrayContaining([
        { path: 'ex.ipynb', state: 'modified' },
        { path: 'mine.py', state: 'untracked' },
      ]),
    );
    const result = await commitAndPush(r.repo, { message: 'My answer' });
    expect(result).toMatchObject({ committed: true, pushed: true, pulledFirst: false });
    expect(result.files.sort()).toEqual(['ex.ipynb', 'mine.py']);
    expect((await forkLog(r.forkPath))[0]).toEqual({
      title: 'My answer',
      author: 'Ada Lovelace',
      email: 'ada@learners.invalid',
    });
    expect(await summarize(r.repo)).toMatchObject({ ahead: 0, behind: 0, changed: [] });
  });

  it('leaves out what Jupyter and Python make on their own (checkpoints, caches)', async () => {
    const r = await start();
    mkdirSync(path.join(r.dir, '.ipynb_checkpoints'));
    mkdirSync(path.join(r.dir, '__pycache__'));
    r.learnerEdits({
      '.ipynb_checkpoints/ex-checkpoint.ipynb': '{}',
      '__pycache__/m.cpython-311.pyc': 'x',
      'm.py': 'x = 1\n',
    });
    expect((await commitAndPush(r.repo)).files).toEqual(['m.py']);
  });

  it('pushes anyway when nothing changed, and uses a readable default message', async () => {
    const r = await start();
    expect(await commitAndPush(r.repo)).toMatchObject({ committed: false, pushed: true });
    r.learnerEdits({ 'README.md': 'hello\n' });
    await commitAndPush(r.repo, { message: ' \u0007 ' });
    expect((await forkLog(r.forkPath))[0]!.title).toBe('Work saved from JupyterLab');
  });

  it('brings in the fork’s newer commits when GitLab rejects the push, then pushes again', async () => {
    const r = await start();
    await r.pushToForkFromElsewhere({ 'other.txt': 'from elsewhere\n' });
    r.learnerEdits({ 'README.md': 'mine\n' });
    const result = await commitAndPush(r.repo);
    expect(result).toMatchObject({ committed: true, pushed: true, pulledFirst: true });
    expect(r.read('other.txt')).toBe('from elsewhere\n');
    expect(r.read('README.md')).toBe('mine\n');
    expect((await forkLog(r.forkPath)).map((c) => c.title)).toEqual(
      expect.arrayContaining(['Saved elsewhere', 'Work saved from JupyterLab']),
    );
  });

  it('tells the learner about teacher updates and unsaved work in its status', async () => {
    const r = await start();
    await r.teacherPushes({ 'README.md': 'fixed\n' });
    r.learnerEdits({ 'notes.txt': 'x\n' });
    expect(await summarize(r.repo)).toMatchObject({
      branch: 'main',
      teacherUpdates: 1,
      ahead: 0,
      behind: 0,
      changed: [{ path: 'notes.txt', state: 'untracked' }],
      lastCommit: { message: 'Exercise' },
    });
  });
});

describe('the git API with bad input: a clear message, nothing lost, the repository still usable', () => {
  it('handles file names a shell would choke on', async () => {
    const r = await start();
    const names = ['-rf', 'with\nnewline.txt', 'émoji 🎉.md', 'a b/c d.txt', '--help'];
    mkdirSync(path.join(r.dir, 'a b'));
    for (const n of names) writeFileSync(path.join(r.dir, n), `${n}\n`);
    const status = await summarize(r.repo);
    expect(status.changed.map((c) => c.path).sort()).toEqual([...names].sort());
    await commitAndPush(r.repo);
    const tree = await t.api.Repositories.allRepositoryTrees(r.forkPath, { recursive: true });
    expect(tree.map((e) => e.path)).toEqual(expect.arrayContaining(names));
  });

  it('refuses files over the size limit, naming them, and commits nothing', async () => {
    const r = await start();
    r.learnerEdits({ 'big.csv': 'x'.repeat(2 * 1024 * 1024), 'small.txt': 'ok\n' });
    await expect(commitAndPush(r.repo)).rejects.toMatchObject({
      code: 'GIT_FILES_TOO_BIG',
      message: expect.stringContaining('big.csv (2.0 MB) is over the 1.0 MB limit'),
    });
    expect((await summarize(r.repo)).changed.map((c) => c.path).sort()).toEqual(['big.csv', 'small.txt']);
  });

  it('refuses a detached HEAD and a half-done merge, explaining how to get out', async () => {
    const r = await start();
    await r.git(['checkout', '-q', '--detach']);
    await expect(commitAndPush(r.repo)).rejects.toMatchObject({
      code: 'GIT_DETACHED_HEAD',
      hint: expect.stringContaining('git switch main'),
    });
    await r.git(['checkout', '-q', 'main']);
    writeFileSync(path.join(r.dir, '.git', 'MERGE_HEAD'), `${(await r.git(['rev-parse', 'HEAD'])).trim()}\n`);
    await expect(pull(r.repo)).rejects.toMatchObject({
      code: 'GIT_MID_OPERATION',
      hint: expect.stringContaining('git merge --abort'),
    });
  });

  it('does not run programs the repository’s settings name', async () => {
    const r = await start();
    const proof = path.join(t.work, 'filter-ran');
    await r.git(['config', 'filter.evil.clean', `touch ${proof}; cat`]);
    r.learnerEdits({ '.gitattributes': '* filter=evil\n', 'README.md': 'changed\n' });
    await expect(commitAndPush(r.repo)).rejects.toMatchObject({
      code: 'GIT_UNSAFE_CONFIG',
      message: expect.stringContaining('filter.evil.clean'),
    });
    await r.git(['config', '--unset', 'filter.evil.clean']);
    await r.git(['config', 'core.fsmonitor', `touch ${proof}; false`]);
    await r.git(['config', 'core.hooksPath', '.hooks']);
    mkdirSync(path.join(r.dir, '.hooks'));
    writeFileSync(path.join(r.dir, '.hooks', 'pre-commit'), `#!/bin/sh\ntouch ${proof}\n`, { mode: 0o755 });
    await commitAndPush(r.repo);
    expect(existsSync(proof)).toBe(false);
  });

  it('refuses a .git that is a file pointing elsewhere', async () => {
    const r = await start();
    await r.git(['checkout', '-q', 'main']);
    const elsewhere = path.join(t.work, 'elsewhere.git');
    await runGit(['init', '-q', '--bare', elsewhere], t.work);
    rmSync(path.join(r.dir, '.git'), { recursive: true });
    writeFileSync(path.join(r.dir, '.git'), `gitdir: ${elsewhere}\n`);
    await expect(summarize(r.repo)).rejects.toMatchObject({ code: 'GIT_NOT_A_REPOSITORY' });
  });

  it('reports an unreachable GitLab and a refused token plainly, keeping the commit', async () => {
    const r = await start();
    r.learnerEdits({ 'README.md': 'offline work\n' });
    const offline = { ...r.repo, origin: { ...r.repo.origin, url: 'http://127.0.0.1:9/learners/x.git' } };
    await expect(commitAndPush(offline)).rejects.toMatchObject({ code: 'GIT_REMOTE_UNREACHABLE' });
    expect(r.read('README.md')).toBe('offline work\n');
    const refused = { ...r.repo, origin: { ...r.repo.origin, token: async () => 'not-a-token' } };
    const err = await commitAndPush(refused).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'GIT_REMOTE_REFUSED' });
    expect(JSON.stringify(err)).not.toContain('not-a-token');
    // Once GitLab answers again, the work goes up.
    expect(await commitAndPush(r.repo)).toMatchObject({ pushed: true });
    // The token was never written into the repository.
    expect(readFileSync(path.join(r.dir, '.git', 'config'), 'utf8')).not.toContain(rootToken);
  });
});
