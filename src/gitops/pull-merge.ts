import { readFile, lstat } from 'node:fs/promises';
import path from 'node:path';
import { git, nulSplit, readBlob, type GitContext } from './git-command.ts';
import { gitErrors } from './git-errors.ts';
import { besideName, moveAside, timestampTag, writeAsLearner } from './file-moves.ts';
import type { LearnerRepo } from './learner-repo.ts';
import { mergeNotebooks } from './notebook-merge.ts';
import { notebookProblem } from './notebook-validity.ts';
import { fetchRemote, trackingRef } from './remote-ops.ts';
import { guardRepository } from './repo-guard.ts';
import { countMissing, refExists, workingChanges } from './repo-status.ts';

export interface PullResult {
  /** Files whose content on disk changed: open editors showing them should reload. */
  changed: string[];
  /** The learner's untracked files moved aside because an update brings a file of the same name. */
  renamed: Array<{ from: string; to: string }>;
  /** Files the learner had deleted, brought back. */
  restored: string[];
  /** Where both sides' versions could not be combined: the learner's stays at `path`, the other is `incoming`. */
  keptAside: Array<{ path: string; incoming: string }>;
  /** The teacher's commits brought in. */
  teacherCommits: number;
  upToDate: boolean;
}

interface Upstream {
  ref: string;
  /** Tag of the file kept beside the learner's when the two cannot be combined. */
  tag: string;
}

const isNotebook = (p: string) => p.toLowerCase().endsWith('.ipynb');
const list = async (ctx: GitContext, args: string[]) => nulSplit((await git(ctx, args)).stdout);

async function mergeBase(ctx: GitContext, a: string, b: string): Promise<string | undefined> {
  const r = await git(ctx, ['merge-base', a, b], { okCodes: [0, 1, 128] });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** Files `ref` adds since it parted from HEAD (all of its files when the histories are unrelated). */
async function addedBy(ctx: GitContext, ref: string, base: string | undefined): Promise<string[]> {
  return base
    ? list(ctx, ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=A', base, ref, '--'])
    : list(ctx, ['ls-tree', '-r', '-z', '--name-only', ref]);
}

/**
 * Before merging, as nbgitpuller does: the learner's untracked files in the way of incoming ones are
 * renamed, files they deleted come back (a fresh copy), and their changes to tracked files are
 * committed, so the merge can neither refuse nor overwrite anything.
 */
async function saveWork(repo: LearnerRepo, upstreams: Upstream[], result: PullResult) {
  const { ctx } = repo;
  const hasHead = await refExists(ctx, 'HEAD');
  const changes = await workingChanges(ctx);
  const untracked = new Set(changes.filter((c) => c.state === 'untracked').map((c) => c.path));
  const tag = timestampTag();
  for (const u of upstreams) {
    const base = hasHead ? await mergeBase(ctx, 'HEAD', u.ref) : undefined;
    for (const file of await addedBy(ctx, u.ref, base)) {
      if (!untracked.has(file)) continue;
      untracked.delete(file);
      result.renamed.push({ from: file, to: await moveAside(ctx, file, tag) });
    }
  }
  if (!hasHead) return;
  for (const file of await list(ctx, ['ls-files', '-z', '--deleted'])) {
    let from = 'HEAD';
    for (const u of upstreams) if (await readBlob(ctx, u.ref, file)) from = u.ref;
    await git(ctx, ['checkout', '-q', from, '--', file]);
    result.restored.push(file);
  }
  await git(ctx, ['reset', '-q']);
  const dirty = await git(ctx, ['diff-files', '--quiet'], { okCodes: [0, 1] });
  if (dirty.code === 1)
    await git(ctx, ['commit', '-q', '-a', '-m', 'Work saved by labgate before bringing in updates']);
}

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

/** Notebooks both sides changed, merged cell by cell instead of line by line when they have cell ids. */
async function mergeNotebookCells(ctx: GitContext, base: string, ours: string, theirs: string) {
  const bothChanged = new Set(await list(ctx, ['diff', '--name-only', '-z', base, ours, '--']));
  let rewrote = false;
  for (const file of await list(ctx, ['diff', '--name-only', '-z', base, theirs, '--'])) {
    if (!isNotebook(file) || !bothChanged.has(file)) continue;
    const [b, o, t] = await Promise.all([base, ours, theirs].map((ref) => readBlob(ctx, ref, file)));
    if (!b || !o || !t) continue;
    const merged = mergeNotebooks(b.toString('utf8'), o.toString('utf8'), t.toString('utf8'));
    if (merged === undefined) continue;
    await writeAsLearner(ctx, file, merged);
    await git(ctx, ['add', '--', file]);
    rewrote = true;
  }
  if (rewrote) await git(ctx, ['commit', '-q', '--amend', '--no-edit']);
}

async function mergeUpstream(ctx: GitContext, u: Upstream, result: PullResult) {
  if ((await git(ctx, ['merge-base', '--is-ancestor', u.ref, 'HEAD'], { okCodes: [0, 1, 128] })).code === 0)
    return;
  const ours = (await git(ctx, ['rev-parse', 'HEAD'])).stdout.trim();
  const base = await mergeBase(ctx, 'HEAD', u.ref);
  // New files of the same name on both sides: git keeps the learner's; the other is kept beside it.
  const ourAdded = new Set(
    base ? await addedBy(ctx, 'HEAD', base) : await list(ctx, ['ls-tree', '-r', '-z', '--name-only', 'HEAD']),
  );
  const differing = new Set(await list(ctx, ['diff', '--name-only', '-z', 'HEAD', u.ref, '--']));
  const addedBoth = (await addedBy(ctx, u.ref, base)).filter((f) => ourAdded.has(f) && differing.has(f));

  const merge = await git(
    ctx,
    [
      'merge',
      '-q',
      '--no-edit',
      '-Xours',
      ...(base ? [] : ['--allow-unrelated-histories']),
      '-m',
      `Bring in updates from ${u.ref.replace('refs/remotes/', '')}`,
      u.ref,
    ],
    { okCodes: [0, 1, 128] },
  );
  if (merge.code !== 0) {
    if ((await git(ctx, ['rev-parse', '-q', '--verify', 'MERGE_HEAD'], { okCodes: [0, 1] })).code !== 0)
      throw gitErrors.gitFailed('merge', merge.stderr.trim().split('\n').pop() ?? `exit code ${merge.code}`);
    try {
      await settleConflicts(ctx);
    } catch (err) {
      await git(ctx, ['merge', '--abort'], { okCodes: [0, 1, 128] });
      throw err;
    }
  }
  if (base) await mergeNotebookCells(ctx, base, ours, u.ref);
  let kept = false;
  for (const file of addedBoth) {
    const incoming = besideName(ctx.dir, file, u.tag);
    await writeAsLearner(ctx, incoming, (await readBlob(ctx, u.ref, file))!);
    await git(ctx, ['add', '--', incoming]);
    result.keptAside.push({ path: file, incoming });
    kept = true;
  }
  if (kept)
    await git(ctx, [
      'commit',
      '-q',
      '-m',
      `Keep the ${u.tag}’s version of files both sides created, beside yours`,
    ]);
}

/**
 * A notebook Jupyter cannot open after the merge goes back to the learner's version; the incoming
 * one is kept beside it, so neither side's work is lost.
 */
async function repairNotebooks(ctx: GitContext, start: string, upstreams: Upstream[], result: PullResult) {
  const candidates = new Set(await list(ctx, ['diff', '--name-only', '-z', start, 'HEAD', '--']));
  for (const u of upstreams)
    for (const file of await list(ctx, ['diff', '--name-only', '-z', `${start}...${u.ref}`, '--']))
      candidates.add(file);
  let repaired = false;
  for (const file of candidates) {
    if (!isNotebook(file)) continue;
    const full = path.join(ctx.dir, file);
    if (!(await lstat(full).catch(() => undefined))?.isFile()) continue;
    if (notebookProblem(await readFile(full, 'utf8')) === undefined) continue;
    const mine = await readBlob(ctx, start, file);
    if (mine) await writeAsLearner(ctx, file, mine);
    for (const u of [...upstreams].reverse()) {
      const theirs = await readBlob(ctx, u.ref, file);
      if (!theirs || (mine && theirs.equals(mine))) continue;
      const incoming = besideName(ctx.dir, file, u.tag);
      await writeAsLearner(ctx, incoming, theirs);
      await git(ctx, ['add', '--', incoming]);
      result.keptAside.push({ path: file, incoming });
      break;
    }
    await git(ctx, ['add', '--', file]);
    repaired = true;
  }
  const staged = await git(ctx, ['diff', '--cached', '--quiet'], { okCodes: [0, 1] });
  if (repaired && staged.code === 1)
    await git(ctx, ['commit', '-q', '-m', 'Keep your version of notebooks the merge could not combine']);
}

/**
 * "Get the teacher's update": brings in the learner's fork (work saved elsewhere) and the template,
 * the way nbgitpuller does, so that it never fails and never loses the learner's work: their side
 * wins where both changed the same lines, notebooks are merged cell by cell, and every notebook it
 * touched is checked to open in Jupyter.
 */
export async function pull(repo: LearnerRepo): Promise<PullResult> {
  const { ctx } = repo;
  await guardRepository(ctx, repo.origin.branch);
  const upstreams: Upstream[] = [];
  const originRef = trackingRef('origin', repo.origin.branch);
  if (await fetchRemote(ctx, repo.origin, originRef)) upstreams.push({ ref: originRef, tag: 'remote' });
  let teacherCommits = 0;
  if (repo.template) {
    const templateRef = trackingRef('template', repo.template.branch);
    if (await fetchRemote(ctx, repo.template, templateRef)) {
      upstreams.push({ ref: templateRef, tag: 'teacher' });
      teacherCommits = await countMissing(ctx, 'HEAD', templateRef);
    }
  }
  const result: PullResult = {
    changed: [],
    renamed: [],
    restored: [],
    keptAside: [],
    teacherCommits,
    upToDate: false,
  };
  await saveWork(repo, upstreams, result);
  const start = (await git(ctx, ['rev-parse', '-q', '--verify', 'HEAD'], { okCodes: [0, 1] })).stdout.trim();
  for (const u of upstreams) {
    if (!start && !(await refExists(ctx, 'HEAD'))) await git(ctx, ['merge', '-q', u.ref]);
    else await mergeUpstream(ctx, u, result);
  }
  if (start) await repairNotebooks(ctx, start, upstreams, result);
  const changed = start ? await list(ctx, ['diff', '--name-only', '-z', start, 'HEAD', '--']) : [];
  result.changed = [...new Set([...changed, ...result.renamed.map((r) => r.from), ...result.restored])];
  result.upToDate = result.changed.length === 0 && result.keptAside.length === 0;
  return result;
}
