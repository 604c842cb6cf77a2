import { commitWords } from './commit-wording.ts';
import { git, readBlob, type GitContext } from './git-command.ts';
import { moveAside, timestampTag } from './file-moves.ts';
import { addedBy, list, mergeBase, type PullResult, type Upstream } from './pull-model.ts';
import { refExists } from './repo-status.ts';

/** Every folder on the way to `file` (`a`, `a/b` for `a/b/c`), then the file itself. */
const pathAndParents = (file: string) =>
  file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));

/**
 * Moves aside whatever of the learner's, untracked or ignored by git, stands where an update brings
 * a file: a file of that name, a folder of that name, or a file where the update needs a folder.
 * Git would otherwise refuse the merge, or overwrite an ignored file without a word.
 */
export async function clearTheWay(ctx: GitContext, incoming: string[], tag: string, result: PullResult) {
  if (incoming.length === 0) return;
  const tracked = new Set(await list(ctx, ['ls-files', '-z']));
  const trackedDirs = new Set([...tracked].flatMap((f) => pathAndParents(f).slice(0, -1)));
  const seen = new Set<string>();
  for (const file of incoming) {
    for (const at of pathAndParents(file)) {
      if (seen.has(at) || tracked.has(at)) continue;
      seen.add(at);
      const isTarget = at === file;
      const stat = await ctx.folder.stat(at);
      if (!stat) break; // nothing there, nor below
      // A folder on the way is fine; a folder holding tracked files is the merge's business.
      if (stat.type === 'dir' && (!isTarget || trackedDirs.has(at))) continue;
      result.renamed.push({ from: at, to: await moveAside(ctx, at, tag) });
      break;
    }
  }
}

/** Paths git named when it refused to merge because untracked files were in the way. */
export function pathsInTheWay(stderr: string): string[] {
  const paths: string[] = [];
  let inList = false;
  for (const line of stderr.split('\n')) {
    if (/would be overwritten by merge|would lose untracked files|would be removed by merge/.test(line))
      inList = true;
    else if (inList && line.startsWith('\t')) paths.push(line.slice(1).replace(/\/$/, ''));
    else inList = false;
  }
  return paths;
}

/**
 * Before merging, as nbgitpuller does: the learner's files in the way of incoming ones are renamed,
 * files they deleted come back (a fresh copy), and their changes (including files they staged) are
 * committed, so the merge can neither refuse nor overwrite anything.
 */
export async function saveWork(ctx: GitContext, upstreams: Upstream[], result: PullResult) {
  const hasHead = await refExists(ctx, 'HEAD');
  const stagedNew = hasHead
    ? await list(ctx, [
        'diff',
        '--cached',
        '--name-only',
        '-z',
        '--no-renames',
        '--diff-filter=A',
        'HEAD',
        '--',
      ])
    : [];
  const tag = timestampTag();
  for (const u of upstreams) {
    const base = hasHead ? await mergeBase(ctx, 'HEAD', u.ref) : undefined;
    const staged = new Set(stagedNew);
    await clearTheWay(
      ctx,
      (await addedBy(ctx, u.ref, base)).filter((f) => !staged.has(f)),
      tag,
      result,
    );
  }
  if (!hasHead) return;
  for (const file of await list(ctx, ['ls-files', '-z', '--deleted'])) {
    let from = 'HEAD';
    for (const u of upstreams) if (await readBlob(ctx, u.ref, file)) from = u.ref;
    await git(ctx, ['checkout', '-q', from, '--', file]);
    result.restored.push(file);
  }
  await git(ctx, ['reset', '-q']);
  // Files the learner added to git themselves are their work too: saved with the rest.
  const present = [];
  for (const file of stagedNew) if (await ctx.folder.stat(file)) present.push(file);
  if (present.length) await git(ctx, ['add', '--', ...present]);
  const dirty = await git(ctx, ['diff', 'HEAD', '--quiet'], { okCodes: [0, 1] });
  if (dirty.code === 1) await git(ctx, ['commit', '-q', '-a', '-m', commitWords(ctx).savedBeforeUpdates]);
}
