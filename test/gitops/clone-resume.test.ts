import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneInto, type GitContext, type Remote } from '../../src/gitops/index.ts';
import { closeLocalSandboxes, localSandbox } from '../support/local-sandbox.ts';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { learnerRig, notebook } from './learner-repo-rig.ts';

// labgate killed mid-launch leaves a clone half made; the replica that takes the launch over clones again.
let t: TestGitlab;
beforeAll(async () => {
  t = await startTestGitlab();
});
afterAll(async () => {
  await closeLocalSandboxes();
  await t?.close();
});

const exercise = notebook([{ id: 'q1', source: '# your answer' }]);
let n = 0;

/** The fork of a fresh exercise, and an empty folder for the learner's workspace. */
async function forkAndFolder() {
  const rig = await learnerRig(t, { 'exercice.ipynb': exercise, 'data/mesures.csv': '1,2,3\n' });
  const dir = path.join(t.work, `clone-${++n}`);
  mkdirSync(dir);
  const ctx: GitContext = {
    folder: await localSandbox(dir),
    author: { name: 'Ada', email: 'ada@l.invalid' },
  };
  const fork: Remote = {
    url: cloneUrl(t.lite.url, rig.forkPath),
    branch: 'main',
    token: async () => rootToken,
  };
  return { dir, ctx, fork, learnerUrl: cloneUrl(t.lite.url, rig.forkPath), forkPath: rig.forkPath };
}

const git = async (args: string[], cwd: string) => (await runGit(args, cwd)).out.trim();

describe('cloning the fork into the learner’s folder', () => {
  it('takes up a clone cut short after git made the repository, even mid-checkout', async () => {
    const { dir, ctx, fork, learnerUrl, forkPath } = await forkAndFolder();
    // What a kill leaves: labgate's marker, a repository without a commit, a file half written, the lock.
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git/config'), '[labgate]\n\tcloning = true\n');
    await git(['init', '-q', '-b', 'main'], dir);
    await git(
      ['fetch', '-q', cloneUrl(t.lite.url, forkPath, rootToken), 'main:refs/remotes/origin/main'],
      dir,
    );
    writeFileSync(path.join(dir, 'exercice.ipynb'), exercise.slice(0, 40));
    writeFileSync(path.join(dir, '.git/index.lock'), '');

    expect(await cloneInto(ctx, fork, learnerUrl)).toEqual({ cloned: true });
    expect(readFileSync(path.join(dir, 'exercice.ipynb'), 'utf8')).toBe(exercise);
    expect(readFileSync(path.join(dir, 'data/mesures.csv'), 'utf8')).toBe('1,2,3\n');
    expect(await git(['status', '--porcelain', '--untracked-files=no'], dir)).toBe('');
    expect(await git(['config', '--get', 'remote.origin.url'], dir)).toBe(learnerUrl);
    expect(await git(['config', '--get-regexp', '^labgate'], dir)).toBe(''); // the marker is gone
  });

  it('takes up a clone cut short before git made the repository (only the marker there)', async () => {
    const { dir, ctx, fork, learnerUrl } = await forkAndFolder();
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git/config'), '[labgate]\n\tcloning = true\n');
    expect(await cloneInto(ctx, fork, learnerUrl)).toEqual({ cloned: true });
    expect(readFileSync(path.join(dir, 'exercice.ipynb'), 'utf8')).toBe(exercise);
  });

  it('never takes the learner’s own repository for a clone cut short, even with the marker in it', async () => {
    const { dir, ctx, fork, learnerUrl } = await forkAndFolder();
    expect(await cloneInto(ctx, fork, learnerUrl)).toEqual({ cloned: true });
    // The learner commits, leaves work uncommitted, and writes labgate's marker into their config.
    writeFileSync(path.join(dir, 'exercice.ipynb'), 'committed answer');
    await git(['-c', 'user.name=A', '-c', 'user.email=a@b', 'commit', '-qam', 'mine'], dir);
    writeFileSync(path.join(dir, 'exercice.ipynb'), 'work in progress');
    await git(['config', 'labgate.cloning', 'true'], dir);
    expect(await cloneInto(ctx, fork, learnerUrl)).toEqual({ cloned: false });
    expect(readFileSync(path.join(dir, 'exercice.ipynb'), 'utf8')).toBe('work in progress');
    expect(await git(['log', '-1', '--format=%s'], dir)).toBe('mine');
  });

  it('moves files found in a folder without a repository aside, and a second launch changes nothing', async () => {
    const { dir, ctx, fork, learnerUrl } = await forkAndFolder();
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const first = await cloneInto(ctx, fork, learnerUrl);
    expect(first.keptAside).toMatch(/^before-labgate-/);
    expect(readFileSync(path.join(dir, first.keptAside!, 'notes.txt'), 'utf8')).toBe('mine');
    rmSync(path.join(dir, 'data'), { recursive: true });
    expect(await cloneInto(ctx, fork, learnerUrl)).toEqual({ cloned: false });
    expect(await git(['status', '--porcelain'], dir)).toContain('data/');
  });

  it('writes the learner’s name from the LMS into their config as it is, whatever it holds', async () => {
    const { dir, ctx, fork, learnerUrl } = await forkAndFolder();
    // An LMS name is anyone's to set: quotes, backslashes, a line break and a forged section.
    const name = 'Ada "the" \\ Love\nlace]\n[core]\n\thooksPath = /tmp/evil #;';
    const email = 'ada+\u0001x@l.invalid';
    expect(await cloneInto({ ...ctx, author: { name, email } }, fork, learnerUrl)).toEqual({ cloned: true });
    expect(await git(['config', '--get', 'user.name'], dir)).toBe(name.trim());
    expect(await git(['config', '--get', 'user.email'], dir)).toBe('ada+x@l.invalid'); // control character dropped
    expect((await runGit(['config', '--get', 'core.hooksPath'], dir)).code).toBe(1);
    expect(await git(['config', '--get', 'branch.main.merge'], dir)).toBe('refs/heads/main');
    expect(await git(['config', '--get', 'core.bare'], dir)).toBe('false'); // git init's own settings
    expect(await git(['log', '-1', '--format=%s'], dir)).not.toBe('');
  });
});
