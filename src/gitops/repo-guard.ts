import { existsSync } from 'node:fs';
import { appendFile, chown, lstat, mkdir, readFile } from 'node:fs/promises';
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

async function ensureDefaultExcludes(ctx: GitContext, gitDir: string) {
  const file = path.join(gitDir, 'info', 'exclude');
  const stat = await lstat(file).catch(() => undefined);
  if (stat && !stat.isFile()) return; // a link or folder there: leave it to the learner
  const current = stat ? await readFile(file, 'utf8') : '';
  if (current.includes(defaultExcludes[0]!)) return;
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${current && !current.endsWith('\n') ? '\n' : ''}${defaultExcludes.join('\n')}\n`);
  if (ctx.uid !== undefined && process.getuid?.() === 0) await chown(file, ctx.uid, ctx.uid);
}

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
  await ensureDefaultExcludes(ctx, gitDir);
  const branch = await git(ctx, ['symbolic-ref', '-q', '--short', 'HEAD'], { okCodes: [0, 1] });
  if (branch.code !== 0) {
    const sha = (await git(ctx, ['rev-parse', 'HEAD'])).stdout.trim();
    throw gitErrors.detachedHead(sha, expectedBranch);
  }
  return branch.stdout.trim();
}
