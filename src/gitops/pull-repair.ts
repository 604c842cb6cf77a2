import { commitWords } from './commit-wording.ts';
import { git, readBlob, type GitContext } from './git-command.ts';
import { besideName, writeAsLearner } from './file-moves.ts';
import { ensureCellIds } from './notebook-cell-ids.ts';
import { notebookProblem } from './notebook-validity.ts';
import { isNotebook, type PullResult, type Upstream } from './pull-model.ts';

const maxNotebookBytes = 256 * 1024 * 1024;

/**
 * Every notebook the pull changed must open in Jupyter (nbformat's schema). One that does not goes
 * back to the learner's version, and the incoming one is kept beside it, so neither side is lost.
 */
export async function repairNotebooks(
  ctx: GitContext,
  start: string,
  touched: string[],
  upstreams: Upstream[],
  result: PullResult,
) {
  let repaired = false;
  for (const file of touched) {
    if (!isNotebook(file)) continue;
    if ((await ctx.folder.stat(file))?.type !== 'file') continue;
    const read = (await ctx.folder.read(file, maxNotebookBytes))?.toString('utf8');
    if (read === undefined) continue;
    // A line merge can leave 4.5 cells without ids (one side predates them): give them ids first.
    const text = ensureCellIds(read);
    if (notebookProblem(text) === undefined) {
      if (text === read) continue;
      await writeAsLearner(ctx, file, text);
      await git(ctx, ['add', '--', file]);
      repaired = true;
      continue;
    }
    const mine = await readBlob(ctx, start, file);
    if (mine) await writeAsLearner(ctx, file, mine);
    for (const u of [...upstreams].reverse()) {
      const theirs = await readBlob(ctx, u.ref, file);
      if (!theirs || (mine && theirs.equals(mine))) continue;
      const incoming = await besideName(ctx, file, u.tag);
      await writeAsLearner(ctx, incoming, theirs);
      await git(ctx, ['add', '--', incoming]);
      result.keptAside.push({ path: file, incoming, from: u.tag });
      break;
    }
    await git(ctx, ['add', '--', file]);
    repaired = true;
  }
  const staged = await git(ctx, ['diff', '--cached', '--quiet'], { okCodes: [0, 1] });
  if (repaired && staged.code === 1)
    await git(ctx, ['commit', '-q', '-m', commitWords(ctx).notebooksRepaired]);
}
