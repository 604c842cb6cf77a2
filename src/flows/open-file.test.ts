import { describe, expect, it } from 'vitest';
import { findOpenFile, firstNotebook, isOpenablePath } from './open-file.ts';

/** A learner's folder as the sandbox session shows it: names per folder, files and folders. */
function folder(tree: Record<string, string[]>) {
  const dirs = new Set(Object.keys(tree));
  const files = new Set(
    Object.entries(tree).flatMap(([d, names]) => names.map((n) => (d ? `${d}/${n}` : n))),
  );
  return {
    list: async (p = '') => tree[p] ?? [],
    stat: async (p: string) =>
      dirs.has(p)
        ? { type: 'dir' as const, size: 0 }
        : files.has(p)
          ? { type: 'file' as const, size: 1 }
          : undefined,
  };
}

describe('the file a learner lands in', () => {
  it('is the first notebook as a person reads the names (ex2 before ex10), ignoring hidden ones', () => {
    expect(firstNotebook(['README.md', 'ex10.ipynb', 'ex2.ipynb', '.secret.ipynb', 'data.csv'])).toBe(
      'ex2.ipynb',
    );
    expect(firstNotebook(['README.md'])).toBeUndefined();
  });

  it('is the first one asked for (the link’s, then the assignment’s) the folder has, else the first notebook', async () => {
    const f = folder({ '': ['a.ipynb', 'notebooks'], notebooks: ['b.ipynb', 'c.ipynb'] });
    expect(await findOpenFile(f, ['notebooks/b.ipynb'])).toBe('notebooks/b.ipynb');
    expect(await findOpenFile(f, ['missing.ipynb'])).toBe('a.ipynb');
    expect(await findOpenFile(f, ['notebooks'])).toBe('a.ipynb'); // a folder is not a file to open
    expect(await findOpenFile(f, ['notebooks/c.ipynb', 'notebooks/b.ipynb'])).toBe('notebooks/c.ipynb');
    expect(await findOpenFile(f, ['missing.ipynb', 'notebooks/b.ipynb'])).toBe('notebooks/b.ipynb');
    expect(await findOpenFile(f, [undefined, 'notebooks/b.ipynb'])).toBe('notebooks/b.ipynb');
  });

  it('looks one folder down when the top holds no notebook, and gives up quietly otherwise', async () => {
    expect(
      await findOpenFile(folder({ '': ['README.md', 'src', 'tp'], src: ['x.py'], tp: ['tp1.ipynb'] }), []),
    ).toBe('tp/tp1.ipynb');
    expect(await findOpenFile(folder({ '': ['README.md'] }), [])).toBeUndefined();
  });

  it('never takes a path that leaves the folder, hides, or carries control characters', async () => {
    for (const bad of [
      '../other/x.ipynb',
      '/etc/passwd',
      'a/../../x',
      '.git/config',
      'a\nb.ipynb',
      'a\\b',
      '',
      'a//b',
    ])
      expect(isOpenablePath(bad), bad).toBe(false);
    const f = folder({ '': ['a.ipynb', '..'], '..': ['x.ipynb'] });
    expect(await findOpenFile(f, ['../x.ipynb'])).toBe('a.ipynb');
  });
});
