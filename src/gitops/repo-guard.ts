import { existsSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { git, nulSplit, type GitContext } from './git-command.ts';
import { gitErrors } from './git-errors.ts';

// Settings in the learner's .git/config that would make labgate's git run a program, read another
// config file, or send the token elsewhere. The command line overrides the rest (git-command.ts).
const unsafeKey =
  /^(filter\..+\.(clean|smudge|process)|diff\.external|diff\..+\.(textconv|command)|merge\..+\.driver|core\.(worktree|sshcommand|gitproxy|alternaterefscommand)|include\.|includeif\.|url\..+\.(insteadof|pushinsteadof)|http\.|credential\.|remote\..+\.(uploadpack|receivepack|proxy|vcs)|extensions\.worktreeconfig|uploadpack\.|receive\.)/;

const midOperations = [
  { marker: 'MERGE_HEAD', operation: 'merge', abort: 'git merge --abort' },
  { marker: 'rebase-merge', operation: 'rebase', abort: 'git rebase --abort' },
  { marker: 'rebase-apply', operation: 'rebase', abort: 'git rebase --abort' },
  { marker: 'CHERRY_PICK_HEAD', operation: 'cherry-pick', abort: 'git cherry-pick --abort' },
  { marker: 'REVERT_HEAD', operation: 'revert', abort: 'git revert --abort' },
];

/**
 * Checks that the learner's repository can be worked on safely and returns its current branch:
 * a real .git folder, no setting that runs programs, no merge or rebase half done, on a branch.
 */
export async function guardRepository(ctx: GitContext, expectedBranch: string): Promise<string> {
  const gitDir = path.join(ctx.dir, '.git');
  const stat = await lstat(gitDir).catch(() => undefined);
  // A .git file or link could point labgate's git at any folder of the server.
  if (!stat?.isDirectory() || existsSync(path.join(gitDir, 'commondir'))) throw gitErrors.notARepository();
  const keys = nulSplit(
    (
      await git(
        ctx,
        ['config', '--no-includes', '--file', path.join(gitDir, 'config'), '--name-only', '--list', '-z'],
        {
          okCodes: [0, 1],
        },
      )
    ).stdout,
  ).map((k) => k.trim());
  const unsafe = keys.filter((k) => unsafeKey.test(k.toLowerCase()));
  if (unsafe.length > 0) throw gitErrors.unsafeConfig([...new Set(unsafe)]);
  for (const m of midOperations)
    if (existsSync(path.join(gitDir, m.marker))) throw gitErrors.midOperation(m.operation, m.abort);
  if (existsSync(path.join(gitDir, 'index.lock'))) throw gitErrors.locked();
  const branch = await git(ctx, ['symbolic-ref', '-q', '--short', 'HEAD'], { okCodes: [0, 1] });
  if (branch.code !== 0) {
    const sha = (await git(ctx, ['rev-parse', 'HEAD'])).stdout.trim();
    throw gitErrors.detachedHead(sha, expectedBranch);
  }
  return branch.stdout.trim();
}
