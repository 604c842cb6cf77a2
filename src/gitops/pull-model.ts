import { git, nulSplit, type GitContext } from './git-command.ts';
import type { NotebookMergeNote } from './notebook-merge.ts';

export interface KeptAside {
  /** The learner's file, kept in place. */
  path: string;
  /** The other version, kept beside it. */
  incoming: string;
  /** Whose version `incoming` is: the teacher's template, or the learner's own fork (work saved elsewhere). */
  from: 'teacher' | 'gitlab';
}

export interface PullResult {
  /** Files whose content on disk changed: open editors showing them should reload. */
  changed: string[];
  /** The learner's files (or folders) moved aside because an update brings something of that name. */
  renamed: Array<{ from: string; to: string }>;
  /** Files the learner had deleted, brought back. */
  restored: string[];
  /** Where both sides' versions could not be combined: both are kept, the learner's in place. */
  keptAside: KeptAside[];
  /** What the cell-by-cell merge of a notebook did that the learner should hear about. */
  notebookNotes: Array<NotebookMergeNote & { path: string; from: 'teacher' | 'gitlab' }>;
  /** The teacher's commits brought in. */
  teacherCommits: number;
  upToDate: boolean;
}

export interface Upstream {
  ref: string;
  /** Tag of the file kept beside the learner's when the two cannot be combined. */
  tag: 'teacher' | 'gitlab';
}

export const isNotebook = (p: string) => p.toLowerCase().endsWith('.ipynb');
export const list = async (ctx: GitContext, args: string[]) => nulSplit((await git(ctx, args)).stdout);

export async function mergeBase(ctx: GitContext, a: string, b: string): Promise<string | undefined> {
  const r = await git(ctx, ['merge-base', a, b], { okCodes: [0, 1, 128] });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** Files `ref` adds since it parted from HEAD (all of its files when the histories are unrelated). */
export async function addedBy(ctx: GitContext, ref: string, base: string | undefined): Promise<string[]> {
  return base
    ? list(ctx, ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=A', base, ref, '--'])
    : list(ctx, ['ls-tree', '-r', '-z', '--name-only', ref]);
}
