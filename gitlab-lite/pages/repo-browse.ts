import { isTreePath } from '../git-names.ts';
import { commitsAt, gitBuffer, gitIn, resolveCommit, type CommitEntity } from '../repository-reads.ts';

export interface TreeEntry {
  name: string;
  path: string;
  type: 'tree' | 'blob' | 'commit';
  mode: string;
  id: string;
}

/** Folders first, then files, each by name as a person sorts them (GitLab's order). */
const byKindThenName = (a: TreeEntry, b: TreeEntry) =>
  Number(b.type === 'tree') - Number(a.type === 'tree') ||
  a.name.localeCompare(b.name, 'en', { sensitivity: 'base', numeric: true });

/** The entries of folder `path` ('' for the top) in commit `sha`; undefined if it is no folder there. */
export async function treeAt(dir: string, sha: string, path: string): Promise<TreeEntry[] | undefined> {
  if (path && !isTreePath(path)) return undefined;
  const args = ['ls-tree', '-z', '--end-of-options', sha, ...(path ? ['--', `${path}/`] : [])];
  const entries = (await gitIn(dir, args))
    .split('\0')
    .filter(Boolean)
    .map((line): TreeEntry => {
      const [meta, full] = line.split('\t') as [string, string];
      const [mode, type, id] = meta.split(' ') as [string, TreeEntry['type'], string];
      return { name: full.split('/').pop()!, path: full, type, mode, id };
    });
  if (path && entries.length === 0) return undefined;
  return entries.sort(byKindThenName);
}

/** The file at `path` in commit `sha`: its mode, blob id and size (no content yet); undefined if none. */
export async function fileAt(dir: string, sha: string, path: string) {
  if (!isTreePath(path)) return undefined;
  const listing = await gitIn(dir, ['ls-tree', '-l', '-z', '--end-of-options', sha, '--', path]);
  const [meta, name] = listing.split('\0')[0]!.split('\t');
  const [mode, type, id, size] = (meta ?? '').trim().split(/\s+/);
  if (type !== 'blob' || name !== path || !id) return undefined;
  return { mode: mode!, id, size: Number(size) };
}

const hex = /^[0-9a-f]{40,64}$/;
export const blobContent = (dir: string, id: string) => gitBuffer(dir, ['cat-file', 'blob', id]);
export const blobSize = async (dir: string, id: string) =>
  Number((await gitIn(dir, ['cat-file', '-s', id])).trim());

/** As git decides (a NUL in the first 8,000 bytes), or not UTF-8: no text to show. */
export function isBinary(content: Buffer): boolean {
  if (content.subarray(0, 8000).includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return false;
  } catch {
    return true;
  }
}

/** The newest commit at `sha` that touched `path` (or any file). */
export async function lastCommit(dir: string, sha: string, path?: string): Promise<CommitEntity | undefined> {
  const [c] = await commitsAt(dir, ['-1', sha, '--', ...(path ? [path] : [])], '');
  return c;
}

/** One page of history from `sha` (newest first), and whether an older page exists. */
export async function historyPage(
  dir: string,
  sha: string,
  o: { page: number; perPage: number; path?: string },
) {
  const skip = (o.page - 1) * o.perPage;
  const commits = await commitsAt(
    dir,
    [`--skip=${skip}`, '-n', String(o.perPage + 1), sha, '--', ...(o.path ? [o.path] : [])],
    '',
  );
  return { commits: commits.slice(0, o.perPage), more: commits.length > o.perPage };
}

export interface ChangedFile {
  status: 'added' | 'deleted' | 'modified' | 'renamed' | 'typechange';
  oldPath: string;
  newPath: string;
  oldMode: string;
  newMode: string;
  /** Undefined on the side where the file does not exist. */
  oldId: string | undefined;
  newId: string | undefined;
}

const statusOf: Record<string, ChangedFile['status']> = {
  A: 'added',
  C: 'added',
  D: 'deleted',
  M: 'modified',
  R: 'renamed',
  T: 'typechange',
};

/** The files commit `sha` changed against `parent` (every file for a first commit), renames found. */
export async function changedFiles(
  dir: string,
  sha: string,
  parent: string | undefined,
): Promise<ChangedFile[]> {
  const args = parent
    ? ['diff-tree', '-r', '-z', '-M', '--no-commit-id', '--end-of-options', parent, sha]
    : ['diff-tree', '-r', '-z', '--root', '--no-commit-id', '--end-of-options', sha];
  const tokens = (await gitIn(dir, args)).split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < tokens.length && tokens[i]!.startsWith(':');) {
    const [oldMode, newMode, oldId, newId, status] = tokens[i]!.slice(1).split(' ') as string[];
    const letter = status![0]!;
    const two = letter === 'R' || letter === 'C';
    const oldPath = tokens[i + 1]!;
    const newPath = two ? tokens[i + 2]! : oldPath;
    i += two ? 3 : 2;
    const id = (v: string | undefined) => (v && hex.test(v) && !/^0+$/.test(v) ? v : undefined);
    files.push({
      status: statusOf[letter] ?? 'modified',
      oldPath,
      newPath,
      oldMode: oldMode!,
      newMode: newMode!,
      oldId: id(oldId),
      newId: id(newId),
    });
  }
  return files;
}

/** git's line diff of two blobs (ids from {@link changedFiles}), from its first hunk on. */
export async function blobLineDiff(dir: string, oldId: string, newId: string): Promise<string> {
  const out = await gitIn(dir, ['diff', '--no-color', '--no-ext-diff', '--no-textconv', '-U3', oldId, newId]);
  const start = out.indexOf('\n@@');
  return start < 0 ? '' : out.slice(start + 1);
}

/** Branch and tag names, so that `feature/x/notes.md` splits after the longest ref that exists. */
async function refNames(dir: string): Promise<Set<string>> {
  const out = await gitIn(dir, ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/tags']).catch(
    () => '',
  );
  return new Set(
    out
      .split('\n')
      .map((r) => r.replace(/^refs\/(heads|tags)\//, ''))
      .filter(Boolean),
  );
}

/** `<ref>/<path>` of a page address, as GitLab reads it: the longest branch or tag, else a commit sha. */
export async function splitRefPath(dir: string, parts: string[]) {
  if (!parts.length) return undefined;
  const names = await refNames(dir);
  for (let i = parts.length; i >= 1; i--) {
    const ref = parts.slice(0, i).join('/');
    if (!names.has(ref)) continue;
    const sha = await resolveCommit(dir, ref);
    if (sha) return { ref, sha, path: parts.slice(i).join('/') };
  }
  const sha = await resolveCommit(dir, parts[0]!);
  return sha ? { ref: parts[0]!, sha, path: parts.slice(1).join('/') } : undefined;
}
