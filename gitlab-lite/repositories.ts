import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const git = promisify(execFile);

/** Bare repositories live at `<data>/repositories/<full path>.git`, as GitLab's hashed storage would not. */
export const repositoryPath = (dataDir: string, fullPath: string) =>
  path.join(dataDir, 'repositories', `${fullPath.toLowerCase()}.git`);

/** GitLab's `empty_repo`: no branch at all (loose refs or packed refs), or no repository yet. */
export function repositoryIsEmpty(dir: string): boolean {
  const heads = path.join(dir, 'refs', 'heads');
  if (
    existsSync(heads) &&
    readdirSync(heads, { recursive: true, withFileTypes: true }).some((e) => e.isFile())
  )
    return false;
  const packed = path.join(dir, 'packed-refs');
  return !(existsSync(packed) && readFileSync(packed, 'utf8').includes(' refs/heads/'));
}

export async function createBareRepository(dir: string, defaultBranch: string) {
  await git('git', ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`, '--', dir]);
  // Pushes arrive through `git http-backend`; keep the objects it writes usable by anyone reading them.
  await prepareForHttp(dir);
}

/** Lets `git http-backend` take pushes, and installs the pre-receive hook that asks gitlab-lite first. */
export async function prepareForHttp(dir: string) {
  await git('git', ['-C', dir, 'config', 'http.receivepack', 'true']);
  // Pushes through smart HTTP carry GL_HOOK; gitlab-lite's own server-side commits do not and pass.
  const hook = path.join(dir, 'hooks', 'pre-receive');
  await writeFile(hook, '#!/bin/sh\n[ -n "$GL_HOOK" ] || exit 0\nexec "$GL_NODE" "$GL_HOOK"\n');
  await chmod(hook, 0o755);
}

/** `initialize_with_readme`: one commit with README.md on the default branch, as GitLab makes it. */
export async function commitReadme(
  dir: string,
  o: { branch: string; title: string; author: string; email: string },
) {
  const work = await mkdtemp(path.join(tmpdir(), 'gitlab-lite-readme-'));
  try {
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: o.author,
      GIT_AUTHOR_EMAIL: o.email,
      GIT_COMMITTER_NAME: o.author,
      GIT_COMMITTER_EMAIL: o.email,
    };
    await git('git', ['init', '--quiet', `--initial-branch=${o.branch}`, '--', work]);
    await writeFile(path.join(work, 'README.md'), `# ${o.title}\n`);
    await git('git', ['-C', work, 'add', 'README.md'], { env });
    await git('git', ['-C', work, 'commit', '--quiet', '-m', 'Initial commit'], { env });
    await git('git', ['-C', work, 'push', '--quiet', '--', dir, `HEAD:refs/heads/${o.branch}`], { env });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
