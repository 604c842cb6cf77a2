import { diffFiles, type Document, type DocumentDiff } from '../../src/grading/index.ts';

/** Two 1×1 PNGs (different pixels). */
export const png1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
export const png2 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

type Cell = Record<string, unknown>;
export const code = (
  id: string | undefined,
  source: string,
  outputs: unknown[] = [],
  n: number | null = 1,
) => ({
  cell_type: 'code',
  ...(id ? { id } : {}),
  metadata: {},
  source,
  execution_count: n,
  outputs,
});
export const md = (id: string | undefined, source: string) => ({
  cell_type: 'markdown',
  ...(id ? { id } : {}),
  metadata: {},
  source,
});
export const stream = (text: string) => ({ output_type: 'stream', name: 'stdout', text });
export const display = (data: Record<string, unknown>) => ({
  output_type: 'display_data',
  metadata: {},
  data,
});

export function diffCells(
  left: Cell[],
  right: Cell[],
): { diff: DocumentDiff; left: Document; right: Document } {
  const nb = (cells: Cell[]) =>
    Buffer.from(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  const r = diffFiles(
    { name: 'template.ipynb', bytes: nb(left) },
    { name: 'learner.ipynb', bytes: nb(right) },
  );
  return { diff: r.diff, left: r.left!, right: r.right! };
}

/**
 * One of each thing a grader must see: an edited answer with a blank line and no final newline, swapped
 * outputs with images, an address-only change, unchanged runs, a moved, a removed and an added cell.
 */
export const template: Cell[] = [
  md('intro', '# Lab 1\n\nRead this first.'),
  code('q1', 'def f(x):\n\n    return x\n', [], null),
  code('plot', 'plot()', [stream('done\n'), display({ 'image/png': png1, 'text/plain': '<Figure>' })], 2),
  code('obj', 'Foo()', [display({ 'text/plain': '<__main__.Foo object at 0x10a2b3c40>' })], 3),
  md('notes', 'Some *notes*.'),
  code('c5', 'a = 5'),
  code('c6', 'b = 6'),
  code('mv', 'def helper():\n    pass'),
  code('gone', 'print("removed")'),
  code('tail', 'f(2)'),
];
export const submission: Cell[] = [
  md('intro', '# Lab 1\n\nRead this first.'),
  code('q1', 'def f(x):\n\n    return x * 2', [], 5),
  code('plot', 'plot()', [display({ 'image/png': png2, 'text/plain': '<Figure>' }), stream('done\n')], 6),
  code('obj', 'Foo()', [display({ 'text/plain': '<__main__.Foo object at 0x7f3b2c1d>' })], 7),
  md('notes', 'Some *notes*.'),
  code('c5', 'a = 5'),
  code('c6', 'b = 6'),
  code('tail', 'f(2)'),
  code('new', 'print("added")'),
  code('mv', 'def helper():\n    pass'),
];
