import { commitWords } from './commit-wording.ts';
import { git, readBlob, type GitContext } from './git-command.ts';
import { gitErrors } from './git-errors.ts';
import { besideName, moveAside, timestampTag, writeAsLearner } from './file-moves.ts';
import { mergeNotebookCells } from './notebook-merge.ts';
import { losesTheirSources } from './notebook-sources.ts';
import { pathsInTheWay } from './pull-prepare.ts';
import { addedBy, isNotebook, list, mergeBase, type PullResult, type Upstream } from './pull-model.ts';

/** Settles what `merge -Xours` leaves unmerged: a file the learner kept wins; one they deleted comes back. */
async function settleConflicts(ctx: GitContext) {
  const stages = new Map<string, Set<string>>();
  for (const record of await list(ctx, ['ls-files', '-u', '-z'])) {
    const [info, file] = record.split('\t') as [string, string];
    const stage = info.split(' ')[2]!;
    stages.set(file, (stages.get(file) ?? new Set()).add(stage));
  }
  for (const [file, s] of stages) {
    if (s.has('2')) {
      await git(ctx, ['checkout', '-q', '--ours', '--', file]);
      await git(ctx, ['add', '--', file]);
    } else if (s.has('3')) {
      await git(ctx, ['checkout', '-q', '--theirs', '--', file]);
      await git(ctx, ['add', '--', file]);
    } else await git(ctx, ['rm', '-q', '--cached', '--', file]);
  }
  await git(ctx, ['commit', '-q', '--no-edit']);
}

/**
 * Notebooks both sides changed, merged cell by cell (git's line merge stays where that cannot be
 * done). Returns the notebooks whose merge lost a cell text `theirs` wrote (the learner's won).
 */
async function mergeCellwise(ctx: GitContext, base: string, ours: string, u: Upstream, result: PullResult) {
  const bothChanged = new Set(await list(ctx, ['diff', '--name-only', '-z', base, ours, '--']));
  const lossy: string[] = [];
  let rewrote = false;
  for (const file of await list(ctx, ['diff', '--name-only', '-z', base, u.ref, '--'])) {
    if (!isNotebook(file) || !bothChanged.has(file)) continue;
    const [b, o, t] = await Promise.all([base, ours, u.ref].map((ref) => readBlob(ctx, ref, file)));
    if (!b || !o || !t) continue;
    const merged = mergeNotebookCells(b.toString('utf8'), o.toString('utf8'), t.toString('utf8'));
    if (merged === undefined) continue;
    await writeAsLearner(ctx, file, merged.text);
    await git(ctx, ['add', '--', file]);
    rewrote = true;
    for (const note of merged.notes) result.notebookNotes.push({ path: file, from: u.tag, ...note });
    if (losesTheirSources(b.toString('utf8'), t.toString('utf8'), merged.text)) lossy.push(file);
  }
  if (rewrote) await git(ctx, ['commit', '-q', '--amend', '--no-edit']);
  return lossy;
}

/** Files whose changes on both sides collide line by line (git merge-tree, without touching anything). */
async function collisions(ctx: GitContext, ref: string, base: string | undefined): Promise<string[]> {
  const args = ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z'];
  const r = await git(ctx, [...args, ...(base ? [] : ['--allow-unrelated-histories']), 'HEAD', ref], {
    okCodes: [0, 1, 128, 129],
  });
  if (r.code !== 1) return []; // clean, or a git too old for --write-tree
  return r.stdout.split('\0').slice(1).filter(Boolean);
}

async function runMerge(ctx: GitContext, u: Upstream, base: string | undefined, result: PullResult) {
  const args = ['merge', '-q', '--no-edit', '-Xours', ...(base ? [] : ['--allow-unrelated-histories'])];
  const words = commitWords(ctx);
  // Still a merge of `u.ref`, as git sees it; the message is for the learner reading their history.
  const message = u.tag === 'teacher' ? words.fromTeacher : words.fromGitlab;
  for (let attempt = 0; ; attempt++) {
    const merge = await git(ctx, [...args, '-m', message, u.ref], { okCodes: [0, 1, 128] });
    if (merge.code === 0) return;
    if ((await git(ctx, ['rev-parse', '-q', '--verify', 'MERGE_HEAD'], { okCodes: [0, 1] })).code === 0) {
      try {
        return await settleConflicts(ctx);
      } catch (err) {
        await git(ctx, ['merge', '--abort'], { okCodes: [0, 1, 128] });
        throw err;
      }
    }
    // Refused before starting: something of the learner's, untracked, is in the way. Move it, retry.
    const inTheWay = pathsInTheWay(merge.stderr);
    if (attempt >= 2 || inTheWay.length === 0)
      throw gitErrors.gitFailed('merge', merge.stderr.trim().split('\n').pop() ?? `exit code ${merge.code}`);
    const tag = timestampTag();
    for (const file of inTheWay)
      if (await ctx.folder.stat(file))
        result.renamed.push({ from: file, to: await moveAside(ctx, file, tag) });
  }
}

/** Keeps `ref`'s version of each file beside the learner's, and commits them. */
async function keepBeside(ctx: GitContext, files: string[], u: Upstream, result: PullResult, why: string) {
  const kept = [];
  for (const file of files) {
    const theirs = await readBlob(ctx, u.ref, file);
    const mine = await readBlob(ctx, 'HEAD', file);
    if (!theirs || (mine && theirs.equals(mine))) continue;
    const incoming = await besideName(ctx, file, u.tag);
    await writeAsLearner(ctx, incoming, theirs);
    kept.push(incoming);
    result.keptAside.push({ path: file, incoming, from: u.tag });
  }
  if (kept.length === 0) return;
  await git(ctx, ['add', '--', ...kept]);
  await git(ctx, ['commit', '-q', '-m', why]);
}

/**
 * Merges one upstream into the learner's branch, their side winning where both changed the same
 * lines. What cannot be combined is kept beside: files both created; and, for their own work saved
 * elsewhere (the fork), every file both changed differently, since both versions are the learner's.
 */
export async function mergeUpstream(ctx: GitContext, u: Upstream, result: PullResult) {
  if ((await git(ctx, ['merge-base', '--is-ancestor', u.ref, 'HEAD'], { okCodes: [0, 1, 128] })).code === 0)
    return;
  const ours = (await git(ctx, ['rev-parse', 'HEAD'])).stdout.trim();
  const base = await mergeBase(ctx, 'HEAD', u.ref);
  const ourAdded = new Set(
    base ? await addedBy(ctx, 'HEAD', base) : await list(ctx, ['ls-tree', '-r', '-z', '--name-only', 'HEAD']),
  );
  const differing = new Set(await list(ctx, ['diff', '--name-only', '-z', 'HEAD', u.ref, '--']));
  const addedBoth = (await addedBy(ctx, u.ref, base)).filter((f) => ourAdded.has(f) && differing.has(f));
  const colliding = u.tag === 'gitlab' ? await collisions(ctx, u.ref, base) : [];

  await runMerge(ctx, u, base, result);
  const lossy = base ? await mergeCellwise(ctx, base, ours, u, result) : [];
  const aside = [...new Set([...addedBoth, ...colliding, ...(u.tag === 'gitlab' ? lossy : [])])];
  await keepBeside(
    ctx,
    aside,
    u,
    result,
    u.tag === 'teacher' ? commitWords(ctx).teacherCopiesBeside : commitWords(ctx).gitlabCopiesBeside,
  );
}
