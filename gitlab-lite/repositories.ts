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

/**
 * Lets `git http-backend` take pushes, and installs the hooks that ask gitlab-lite first (pre-receive)
 * and tell it what moved (post-receive).
 */
export async function prepareForHttp(dir: string) {
  await git('git', ['-C', dir, 'config', 'http.receivepack', 'true']);
  // Pushes through smart HTTP carry GL_HOOK; gitlab-lite's own server-side commits do not and pass.
  for (const [name, script] of [
    ['pre-receive', 'GL_HOOK'],
    ['post-receive', 'GL_POST_HOOK'],
  ]) {
    const hook = path.join(dir, 'hooks', name!);
    await writeFile(hook, `#!/bin/sh\n[ -n "$${script}" ] || exit 0\nexec "$GL_NODE" "$${script}"\n`);
    await chmod(hook, 0o755);
  }
}

/** Repositories made before gitlab-lite had a post-receive hook gain it before their next push. */
export async function ensureHttpHooks(dir: string) {
  if (existsSync(dir) && !existsSync(path.join(dir, 'hooks', 'post-receive'))) await prepareForHttp(dir);
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
