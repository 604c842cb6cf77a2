import { git, nulSplit, type GitContext } from './git-command.ts';
import { gitErrors } from './git-errors.ts';

// Settings in the learner's .git/config that would make git run a program, read another config file,
// or send the token elsewhere. Defence in depth: the command line overrides the rest (git-command.ts).
const unsafeKey =
  /^(filter\..+\.(clean|smudge|process)|diff\.external|diff\..+\.(textconv|command)|merge\..+\.driver|core\.(worktree|sshcommand|gitproxy|alternaterefscommand)|include\.|includeif\.|url\..+\.(insteadof|pushinsteadof)|http\.|credential\.|remote\..+\.(uploadpack|receivepack|proxy|vcs)|extensions\.worktreeconfig|uploadpack\.|receive\.|gpg\.)/;

const midOperations = [
  { marker: '.git/MERGE_HEAD', operation: 'merge', abort: 'git merge --abort' },
  { marker: '.git/rebase-merge', operation: 'rebase', abort: 'git rebase --abort' },
  { marker: '.git/rebase-apply', operation: 'rebase', abort: 'git rebase --abort' },
  { marker: '.git/CHERRY_PICK_HEAD', operation: 'cherry-pick', abort: 'git cherry-pick --abort' },
  { marker: '.git/REVERT_HEAD', operation: 'revert', abort: 'git revert --abort' },
];

// Jupyter's and Python's own files: never worth a commit, and checkpoints would double every notebook.
const defaultExcludes = [
  '# Added by labgate: files Jupyter and Python make on their own',
  '.ipynb_checkpoints/',
  '__pycache__/',
  '*.pyc',
  '.virtual_documents/',
  '.Trash-*/',
  '.DS_Store',
];

async function ensureDefaultExcludes(ctx: GitContext) {
  const file = '.git/info/exclude';
  // A link or folder there (or on the way), or a file too big to be git's: left to the learner.
  const current = await ctx.folder.read(file, 1024 * 1024).catch(() => null);
  if (current === null || current?.includes(defaultExcludes[0]!)) return;
  const text = current?.toString('utf8') ?? '';
  await ctx.folder
    .write(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${defaultExcludes.join('\n')}\n`)
    .catch(() => {});
}

/**
 * Checks that the learner's repository can be worked on and returns its current branch: a real
 * .git folder, no setting that runs programs, no merge or rebase half done, on a branch.
 */
export async function guardRepository(ctx: GitContext, expectedBranch: string): Promise<string> {
  const dotGit = await ctx.folder.stat('.git');
  if (dotGit?.type !== 'dir' || (await ctx.folder.stat('.git/commondir'))) throw gitErrors.notARepository();
  const keys = nulSplit(
    (
      await git(ctx, ['config', '--no-includes', '--file', '.git/config', '--name-only', '--list', '-z'], {
        okCodes: [0, 1],
      })
    ).stdout,
  ).map((k) => k.trim());
  const unsafe = keys.filter((k) => unsafeKey.test(k.toLowerCase()));
  if (unsafe.length > 0) throw gitErrors.unsafeConfig([...new Set(unsafe)]);
  for (const m of midOperations)
    if (await ctx.folder.stat(m.marker)) throw gitErrors.midOperation(m.operation, m.abort);
  if (await ctx.folder.stat('.git/index.lock')) throw gitErrors.locked();
  await ensureDefaultExcludes(ctx);
  const branch = await git(ctx, ['symbolic-ref', '-q', '--short', 'HEAD'], { okCodes: [0, 1] });
  if (branch.code !== 0) {
    const sha = (await git(ctx, ['rev-parse', 'HEAD'])).stdout.trim();
    throw gitErrors.detachedHead(sha, expectedBranch);
  }
  return branch.stdout.trim();
}
