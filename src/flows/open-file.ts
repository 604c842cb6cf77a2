import type { SandboxSession } from '../workspaces/index.ts';

const notebook = /\.ipynb$/i;
const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });

/**
 * A path JupyterLab may be asked to open: relative, inside the folder, printable, not hidden. It comes
 * from an LMS link or from the learner's own folder, so anything else is ignored.
 */
export function isOpenablePath(p: string) {
  return (
    p.length > 0 &&
    p.length <= 255 &&
    ![...p].some((c) => c < ' ' || c === '\u007f' || c === '\\') &&
    p.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && !part.startsWith('.'))
  );
}

/** The first notebook among names, in the order a person reads them (ex2 before ex10). */
export const firstNotebook = (names: string[]) =>
  names.filter((n) => notebook.test(n) && isOpenablePath(n)).sort(byName)[0];

/**
 * The file a learner lands in: the first of those asked for (the LMS link's `custom_open`, then the
 * assignment's) that the folder has, else the first notebook at the top of the folder, else in its
 * first folders (one level down).
 */
export async function findOpenFile(
  folder: Pick<SandboxSession, 'list' | 'stat'>,
  asked: ReadonlyArray<string | undefined>,
): Promise<string | undefined> {
  for (const path of asked)
    if (path && isOpenablePath(path) && (await folder.stat(path))?.type === 'file') return path;
  const top = await folder.list();
  const here = firstNotebook(top);
  if (here) return here;
  const folders = top
    .filter((n) => isOpenablePath(n) && !notebook.test(n))
    .sort(byName)
    .slice(0, 8);
  for (const dir of folders) {
    if ((await folder.stat(dir))?.type !== 'dir') continue;
    const inside = firstNotebook(await folder.list(dir));
    if (inside) return `${dir}/${inside}`;
  }
  return undefined;
}
