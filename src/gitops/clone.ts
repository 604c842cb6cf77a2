import { git, type GitContext, type Remote } from './git-command.ts';
import { timestampTag } from './file-moves.ts';
import { fetchRemote, trackingRef } from './remote-ops.ts';

export interface CloneResult {
  cloned: boolean;
  /** Where files found in a folder without a repository were put, inside it. */
  keptAside?: string;
}

/**
 * Puts the learner's fork in their folder, inside their sandbox. A folder that already holds a
 * repository is left alone (their work is there); files without one are moved into a subfolder.
 * `learnerUrl` is the remote the learner's own terminal sees (no token in it).
 */
export async function cloneInto(ctx: GitContext, fork: Remote, learnerUrl: string): Promise<CloneResult> {
  if (await ctx.folder.stat('.git')) return { cloned: false };
  const existing = await ctx.folder.list('.');
  let keptAside: string | undefined;
  if (existing.length > 0) {
    keptAside = `before-labgate-${timestampTag()}`;
    for (const name of existing) await ctx.folder.rename(name, `${keptAside}/${name}`);
  }
  const b = fork.branch;
  await git(ctx, ['init', '-q', '-b', b]);
  for (const [key, value] of [
    ['remote.origin.url', learnerUrl],
    ['remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*'],
    [`branch.${b}.remote`, 'origin'],
    [`branch.${b}.merge`, `refs/heads/${b}`],
    ['user.name', ctx.author.name],
    ['user.email', ctx.author.email],
  ] as const)
    await git(ctx, ['config', key, value]);
  // An empty fork has no branch yet: the repository stays empty, ready for a first commit.
  if (await fetchRemote(ctx, fork, trackingRef('origin', b)))
    await git(ctx, ['checkout', '-q', '-B', b, trackingRef('origin', b)]);
  return { cloned: true, ...(keptAside ? { keptAside } : {}) };
}
