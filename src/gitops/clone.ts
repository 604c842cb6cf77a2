import { git, type GitContext, type Remote } from './git-command.ts';
import { timestampTag } from './file-moves.ts';
import { fetchRemote, trackingRef } from './remote-ops.ts';
import { gitConfigFile } from './git-config-file.ts';

export interface CloneResult {
  cloned: boolean;
  /** Where files found in a folder without a repository were put, inside it. */
  keptAside?: string;
}

/** Set in a repository labgate is still cloning; a clone cut short (labgate killed) finds it there. */
const unfinished = 'labgate.cloning';

/**
 * A clone labgate began and never finished (labgate stopped mid-launch): the marker is still in the
 * repository's config and it has no commit yet ('before-init' when git had not made it yet). Anything
 * else is the learner's repository, left alone.
 */
async function cutShort(ctx: GitContext): Promise<'before-init' | 'after-init' | undefined> {
  const config = await ctx.folder.read('.git/config', 1024 * 1024);
  if (!config?.includes('[labgate]')) return undefined;
  if (!(await ctx.folder.stat('.git/HEAD'))) return 'before-init';
  const marker = await git(ctx, ['config', '--get', unfinished], { okCodes: [0, 1] });
  if (marker.stdout.trim() !== 'true') return undefined;
  const head = await git(ctx, ['rev-parse', '-q', '--verify', 'HEAD'], { okCodes: [0, 1] });
  return head.code === 1 ? 'after-init' : undefined;
}

/**
 * Puts the learner's fork in their folder, inside their sandbox. A folder that already holds a
 * repository is left alone (their work is there); files without one are moved into a subfolder.
 * A clone cut short is taken up again. `learnerUrl` is the remote the learner's own terminal sees
 * (no token in it).
 */
export async function cloneInto(ctx: GitContext, fork: Remote, learnerUrl: string): Promise<CloneResult> {
  const resuming = (await ctx.folder.stat('.git')) !== undefined;
  const cut = resuming ? await cutShort(ctx) : undefined;
  if (resuming && !cut) return { cloned: false };
  const b = fork.branch;
  let keptAside: string | undefined;
  if (!resuming) {
    const existing = await ctx.folder.list('.');
    if (existing.length > 0) {
      keptAside = `before-labgate-${timestampTag()}`;
      for (const name of existing) await ctx.folder.rename(name, `${keptAside}/${name}`);
    }
  }
  // The whole config in one write, the marker first: it goes in before git makes the repository, so
  // no cut leaves one that looks finished. `git init` then adds its own settings (again, when resumed).
  await ctx.folder.write(
    '.git/config',
    gitConfigFile([
      { name: 'labgate', entries: [['cloning', 'true']] },
      {
        name: 'remote',
        subsection: 'origin',
        entries: [
          ['url', learnerUrl],
          ['fetch', '+refs/heads/*:refs/remotes/origin/*'],
        ],
      },
      {
        name: 'branch',
        subsection: b,
        entries: [
          ['remote', 'origin'],
          ['merge', `refs/heads/${b}`],
        ],
      },
      {
        name: 'user',
        entries: [
          ['name', ctx.author.name],
          ['email', ctx.author.email],
        ],
      },
    ]),
  );
  await git(ctx, ['init', '-q', '-b', b]);
  // An empty fork has no branch yet: the repository stays empty, ready for a first commit.
  if (await fetchRemote(ctx, fork, trackingRef('origin', b))) {
    // Taken up again: what the cut checkout wrote is the fork's own files, written once more (-f).
    if (resuming) await ctx.folder.rename('.git/index.lock', '.git/index.lock.cut').catch(() => {});
    await git(ctx, ['checkout', '-q', ...(resuming ? ['-f'] : []), '-B', b, trackingRef('origin', b)]);
  }
  await git(ctx, ['config', '--remove-section', 'labgate']);
  return { cloned: true, ...(keptAside ? { keptAside } : {}) };
}
