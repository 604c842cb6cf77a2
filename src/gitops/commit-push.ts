import { commitWords } from './commit-wording.ts';
import { diskRoom, type DiskRoom } from './disk-room.ts';
import { git, type GitContext } from './git-command.ts';
import { gitErrors } from './git-errors.ts';
import type { LearnerRepo } from './learner-repo.ts';
import { pull, type PullResult } from './pull-merge.ts';
import { pushHead, trackingRef } from './remote-ops.ts';
import { guardRepository } from './repo-guard.ts';
import { countMissing, refExists, workingChanges } from './repo-status.ts';

export interface CommitResult {
  committed: boolean;
  sha: string | null;
  pushed: boolean;
  /** The files this commit saved. */
  files: string[];
  /**
   * Commits the push added to the fork: this one, and those made here before (a Pull's merges and the
   * teacher's updates it brought), which Status counts as saves not in GitLab yet.
   */
  sent: number;
  /** GitLab had newer commits: they were brought in (as Pull does) before pushing again. */
  pulledFirst: boolean;
  /** What bringing them in did, when it happened (files kept aside where both sides differ…). */
  pull?: PullResult;
  disk: DiskRoom;
}

/** A message git accepts and a log reader can read: no control characters, a sane length. */
function commitMessage(ctx: GitContext, message: string | undefined) {
  const clean = (message ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    .trim()
    .slice(0, 5_000);
  return clean || commitWords(ctx).saved;
}

async function oversized(ctx: GitContext, files: string[], limit: number) {
  const big: Array<{ path: string; bytes: number }> = [];
  for (const file of files) {
    const stat = await ctx.folder.stat(file).catch(() => undefined);
    if (stat?.type === 'file' && stat.size > limit) big.push({ path: file, bytes: stat.size });
  }
  return big;
}

/**
 * "Commit & push": commits every change in the workspace, authored as the learner, and pushes it to
 * their fork. When the fork has commits the workspace lacks, they are pulled in (same rules as Pull,
 * the learner's work kept) and the push is tried once more.
 */
export async function commitAndPush(repo: LearnerRepo, o: { message?: string } = {}): Promise<CommitResult> {
  const { ctx } = repo;
  await guardRepository(ctx, repo.origin.branch);
  const disk = await diskRoom(ctx, repo.diskLimitBytes, { refuse: true });
  const changes = await workingChanges(ctx);
  const files = changes.map((c) => c.path);
  const big = await oversized(
    ctx,
    changes.filter((c) => c.state !== 'deleted').map((c) => c.path),
    repo.maxFileBytes,
  );
  if (big.length > 0) throw gitErrors.filesTooBig(big, repo.maxFileBytes);
  let committed = false;
  if (changes.length > 0) {
    await git(ctx, ['add', '-A', '--', '.']);
    const staged = await git(ctx, ['diff', '--cached', '--quiet'], { okCodes: [0, 1] });
    if (staged.code === 1) {
      await git(ctx, ['commit', '-q', '--no-verify', '-m', commitMessage(ctx, o.message)]);
      committed = true;
    }
  }
  const head = await git(ctx, ['rev-parse', '-q', '--verify', 'HEAD'], { okCodes: [0, 1] });
  if (head.code !== 0)
    return { committed, sha: null, pushed: false, files, sent: 0, pulledFirst: false, disk };
  let pulled: PullResult | undefined;
  if ((await pushHead(ctx, repo.origin)) === 'rejected') {
    const { template: _, ...fork } = repo;
    pulled = await pull(fork);
    if ((await pushHead(ctx, repo.origin)) === 'rejected')
      throw gitErrors.pushRejected('the fork changed again while labgate was merging');
  }
  const originRef = trackingRef('origin', repo.origin.branch);
  // Counted as Status counts `ahead`, against what labgate last knew of the fork.
  const sent = (await refExists(ctx, originRef))
    ? await countMissing(ctx, originRef, 'HEAD')
    : Number((await git(ctx, ['rev-list', '--count', 'HEAD', '--'])).stdout.trim());
  await git(ctx, ['update-ref', originRef, 'HEAD']);
  const sha = (await git(ctx, ['rev-parse', 'HEAD'])).stdout.trim();
  return {
    committed,
    sha,
    pushed: true,
    files,
    sent,
    pulledFirst: pulled !== undefined,
    ...(pulled ? { pull: pulled } : {}),
    disk,
  };
}
