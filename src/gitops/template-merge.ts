import { commitWords } from './commit-wording.ts';
import { git, readBlob, type GitContext, type Remote } from './git-command.ts';
import { mergeNotebookCells } from './notebook-merge.ts';
import { losesTheirSources } from './notebook-sources.ts';
import { notebookProblem } from './notebook-validity.ts';
import { isNotebook, list } from './pull-model.ts';
import { fetchRemote, pushHead, trackingRef } from './remote-ops.ts';
import { receiveTemplate, type TemplateSource } from './template-delivery.ts';

/** A fork against its template, and what merging the template's newest commit into it gives. */
export type TemplateMerge =
  | { state: 'empty'; templateSha: string }
  | { state: 'up-to-date'; forkSha: string; templateSha: string; ahead: number; behind: 0 }
  | {
      state: 'clean' | 'conflict';
      forkSha: string;
      templateSha: string;
      ahead: number;
      behind: number;
      /** Files the learner and the teacher both changed in ways that do not merge (none when clean). */
      conflicts: string[];
      /** With `push`: the merge commit now on the fork, or `moved` when the learner pushed meanwhile. */
      pushed?: { sha: string } | 'moved';
    };

const counts = async (ctx: GitContext, a: string, b: string) => {
  const r = await git(ctx, ['rev-list', '--left-right', '--count', `${a}...${b}`]);
  const [ahead, behind] = r.stdout.trim().split(/\s+/).map(Number);
  return { ahead: ahead ?? 0, behind: behind ?? 0 };
};

/**
 * A notebook both sides changed, merged cell by cell as the learner's Pull does; a conflict when a cell
 * both changed would lose the teacher's text, a cell changed type, or it cannot be merged that way.
 */
async function mergeNotebook(ctx: GitContext, file: string): Promise<boolean> {
  const stage = async (n: number) => {
    const r = await git(ctx, ['cat-file', 'blob', `:${n}:${file}`], { okCodes: [0, 128] });
    return r.code === 0 ? r.stdout : undefined;
  };
  const [b, o, t] = await Promise.all([1, 2, 3].map(stage));
  if (!o || !t) return false;
  const base = b ?? '{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}';
  const merged = mergeNotebookCells(base, o, t);
  if (!merged || merged.notes.some((n) => n.kind === 'type-changed')) return false;
  if (losesTheirSources(b, t, merged.text)) return false;
  const blob = await git(ctx, ['hash-object', '-w', '--stdin'], { stdin: Buffer.from(merged.text) });
  await git(ctx, ['update-index', '--add', '--cacheinfo', `100644,${blob.stdout.trim()},${file}`]);
  return true;
}

/** Notebooks git merged line by line that no longer open in Jupyter. */
async function brokenNotebooks(ctx: GitContext, base: string): Promise<string[]> {
  const broken: string[] = [];
  for (const file of await list(ctx, ['diff', '--name-only', '-z', base, 'HEAD', '--'])) {
    if (!isNotebook(file)) continue;
    const text = await readBlob(ctx, 'HEAD', file);
    if (text && notebookProblem(text.toString('utf8')) !== undefined) broken.push(file);
  }
  return broken;
}

/**
 * Merges `templateRef` into HEAD without the learner's side winning anything: returns the files
 * left in conflict (the merge is then abandoned) or none (the merge commit is HEAD).
 */
async function tryMerge(ctx: GitContext, templateRef: string, message: string): Promise<string[]> {
  const start = (await git(ctx, ['rev-parse', 'HEAD'])).stdout.trim();
  const merge = await git(ctx, ['merge', '-q', '--no-edit', '--no-ff', '-m', message, templateRef], {
    okCodes: [0, 1, 128],
  });
  if (merge.code !== 0) {
    const unmerged = [...new Set((await list(ctx, ['diff', '--name-only', '--diff-filter=U', '-z'])).sort())];
    // Refused before starting (e.g. a template started over: unrelated histories): the learner's Pull
    // knows how to bring such a template in; a server-side merge does not try.
    if (unmerged.length === 0) return ['(the histories do not meet: the learner’s Pull will bring it in)'];
    const conflicts: string[] = [];
    for (const file of unmerged)
      if (!(isNotebook(file) && (await mergeNotebook(ctx, file)))) conflicts.push(file);
    if (conflicts.length > 0) {
      await git(ctx, ['merge', '--abort'], { okCodes: [0, 1, 128] });
      return conflicts;
    }
    await git(ctx, ['commit', '-q', '--no-edit', '-m', message]);
  }
  const broken = await brokenNotebooks(ctx, start);
  if (broken.length > 0) await git(ctx, ['reset', '-q', '--hard', start]);
  return broken;
}

/**
 * The template's newest commit against a learner's fork, in a scratch folder of a sandbox (never a
 * workspace's own folder): ahead and behind, and whether a merge would be clean. With `push`, a clean
 * merge is pushed to the fork (never forced: a learner's push in between wins, and says `moved`).
 */
export async function mergeTemplate(
  ctx: GitContext,
  o: { fork: Remote; template: TemplateSource; push: boolean },
): Promise<TemplateMerge> {
  await git(ctx, ['init', '-q', '-b', o.fork.branch]);
  const templateRef = await receiveTemplate(ctx, o.template);
  const forkRef = trackingRef('origin', o.fork.branch);
  if (!(await fetchRemote(ctx, o.fork, forkRef))) return { state: 'empty', templateSha: o.template.head };
  await git(ctx, ['checkout', '-q', '-B', o.fork.branch, forkRef]);
  const forkSha = (await git(ctx, ['rev-parse', 'HEAD'])).stdout.trim();
  const { ahead, behind } = await counts(ctx, 'HEAD', templateRef);
  const base = { forkSha, templateSha: o.template.head, ahead };
  if (behind === 0) return { state: 'up-to-date', ...base, behind: 0 };
  const conflicts = await tryMerge(ctx, templateRef, commitWords(ctx).fromTeacher);
  if (conflicts.length > 0) return { state: 'conflict', ...base, behind, conflicts };
  if (!o.push) return { state: 'clean', ...base, behind, conflicts: [] };
  const pushed = await pushHead(ctx, o.fork);
  const sha = (await git(ctx, ['rev-parse', 'HEAD'])).stdout.trim();
  return { state: 'clean', ...base, behind, conflicts: [], pushed: pushed === 'pushed' ? { sha } : 'moved' };
}
