import { execFile } from 'node:child_process';
import { mkdir, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { inheritedEnv } from '../config.ts';
import { AppError } from '../errors.ts';

const exec = promisify(execFile);

// The token reaches git through the environment only: never written to disk or shown in a URL.
const credentialHelper = '!f() { echo username=labgate; echo "password=$LABGATE_GIT_TOKEN"; }; f';

const contents = (dir: string) =>
  readdir(dir).catch((err: NodeJS.ErrnoException) =>
    err.code === 'ENOENT' ? undefined : Promise.reject(err),
  );

/**
 * Puts the learner's fork in their workspace folder. A folder that already holds the repository is
 * left alone (their work is there); one that holds files but no repository is kept aside, renamed,
 * rather than overwritten.
 */
export async function cloneFork(o: {
  dir: string;
  url: string;
  token: string;
  author: { name: string; email: string };
  ownerUid?: number;
}): Promise<{ cloned: boolean; keptAside?: string }> {
  const existing = await contents(o.dir);
  if (existing?.includes('.git')) return { cloned: false };
  let keptAside: string | undefined;
  if (existing && existing.length > 0) {
    keptAside = `${o.dir}.before-${Date.now()}`;
    await rename(o.dir, keptAside);
  }
  await mkdir(path.dirname(o.dir), { recursive: true });
  try {
    await exec(
      'git',
      ['-c', `credential.helper=${credentialHelper}`, 'clone', '--quiet', '--', o.url, o.dir],
      {
        env: inheritedEnv({ GIT_TERMINAL_PROMPT: '0', LABGATE_GIT_TOKEN: o.token }),
        timeout: 120_000,
      },
    );
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '')
      .replaceAll(o.token, '[token]')
      .trim();
    throw new AppError({
      code: 'WORKSPACE_CLONE_FAILED',
      status: 502,
      message: `labgate could not copy your repository into your workspace: ${stderr.split('\n').pop() || 'git failed'}.`,
      hint: 'Launch again in a minute; if it keeps failing, your teacher should check the course in GitLab.',
    });
  }
  await exec('git', ['-C', o.dir, 'config', 'user.name', o.author.name]);
  await exec('git', ['-C', o.dir, 'config', 'user.email', o.author.email]);
  if (o.ownerUid !== undefined && process.getuid?.() === 0)
    await exec('chown', ['-R', `${o.ownerUid}:${o.ownerUid}`, o.dir]);
  return { cloned: true, ...(keptAside ? { keptAside } : {}) };
}
