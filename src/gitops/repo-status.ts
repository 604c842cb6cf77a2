import { git, nulSplit, type GitContext } from './git-command.ts';

export type ChangeState = 'modified' | 'added' | 'deleted' | 'untracked' | 'renamed';
export interface Change {
  path: string;
  state: ChangeState;
}

function stateOf(xy: string): ChangeState {
  if (xy.includes('D')) return 'deleted';
  if (xy.includes('A')) return 'added';
  if (xy.includes('R') || xy.includes('C')) return 'renamed';
  return 'modified';
}

/** What differs between the learner's files and their last commit (`git status`, parsed from -z output). */
export async function workingChanges(ctx: GitContext): Promise<Change[]> {
  const out = (await git(ctx, ['status', '--porcelain=v2', '-z', '--untracked-files=all', '--no-renames']))
    .stdout;
  const changes: Change[] = [];
  for (const record of nulSplit(out)) {
    const kind = record[0];
    if (kind === '?') changes.push({ path: record.slice(2), state: 'untracked' });
    else if (kind === '1') {
      // 1 XY sub mH mI mW hH hI path: the path is everything after the eighth space.
      const fields = record.split(' ');
      changes.push({ path: fields.slice(8).join(' '), state: stateOf(fields[1]!) });
    } else if (kind === 'u') {
      const fields = record.split(' ');
      changes.push({ path: fields.slice(10).join(' '), state: 'modified' });
    }
  }
  return changes;
}

export async function headCommit(ctx: GitContext) {
  const r = await git(ctx, ['log', '-1', '--format=%H%x00%s%x00%cI'], { okCodes: [0, 128] });
  if (r.code !== 0 || !r.stdout.trim()) return null;
  const [sha, message, date] = r.stdout.trim().split('\0');
  return { sha: sha!, message: message ?? '', date: date ?? '' };
}

/** Commits in `to` that `from` lacks; 0 when either ref is missing. */
export async function countMissing(ctx: GitContext, from: string, to: string): Promise<number> {
  const r = await git(ctx, ['rev-list', '--count', `${from}..${to}`, '--'], { okCodes: [0, 128] });
  return r.code === 0 ? Number(r.stdout.trim()) : 0;
}

export async function refExists(ctx: GitContext, ref: string): Promise<boolean> {
  return (
    (await git(ctx, ['rev-parse', '-q', '--verify', `${ref}^{commit}`], { okCodes: [0, 1, 128] })).code === 0
  );
}
