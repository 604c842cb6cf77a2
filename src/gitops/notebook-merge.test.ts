import { describe, expect, it } from 'vitest';
import { mergeNotebookCells, mergeNotebooks } from './notebook-merge.ts';
import { notebookProblem } from './notebook-validity.ts';

type Cell = Record<string, unknown>;
const stdout = (text: string) => [{ output_type: 'stream', name: 'stdout', text }];
const code = (id: string, source: string, run?: string): Cell => ({
  id,
  cell_type: 'code',
  metadata: {},
  source,
  outputs: run ? stdout(run) : [],
  execution_count: run ? 1 : null,
});
const md = (id: string, source: string, more: Cell = {}): Cell => ({
  id,
  cell_type: 'markdown',
  metadata: {},
  source,
  ...more,
});
const kernelspec = { name: 'python3', display_name: 'Python 3' };
const nb = (cells: Cell[], minor = 5) =>
  JSON.stringify({ nbformat: 4, nbformat_minor: minor, metadata: { kernelspec }, cells }, null, 1);
const noIds = (cells: Cell[]) => cells.map(({ id: _, ...cell }) => cell);

/** Merges, checks the result opens in Jupyter, and returns its cells. */
function merge(base: string, ours: string, theirs: string): Cell[] {
  const text = mergeNotebooks(base, ours, theirs);
  expect(text).toBeDefined();
  expect(notebookProblem(text!)).toBeUndefined();
  return (JSON.parse(text!) as { cells: Cell[] }).cells;
}
const summary = (cells: Cell[]) => cells.map((c) => `${c['id']}:${c['cell_type']}:${c['source']}`);

describe('mergeNotebooks, cells with ids', () => {
  const base = [md('m1', '# Exercise'), code('c1', 'x = 1'), code('c2', '# answer here'), md('m2', 'End')];

  it("keeps both sides' edits and new cells, each where its author put it", () => {
    const ours = [
      base[0]!,
      code('c1', 'x = 1', '1\n'),
      code('c2', 'answer = 42', '42\n'),
      code('l1', 'mine'),
      base[3]!,
    ];
    const theirs = [
      md('m1', '# Exercise 1'),
      base[1]!,
      code('t1', 'hint()'),
      base[2]!,
      base[3]!,
      md('t2', 'Bonus'),
    ];
    const cells = merge(nb(base), nb(ours), nb(theirs));
    expect(summary(cells)).toEqual([
      'm1:markdown:# Exercise 1',
      'c1:code:x = 1',
      't1:code:hint()',
      'c2:code:answer = 42',
      'l1:code:mine',
      'm2:markdown:End',
      't2:markdown:Bonus',
    ]);
    expect(cells[1]!['outputs']).toEqual(stdout('1\n'));
  });

  it("keeps the learner's version of a cell both changed, and a changed cell the teacher deleted", () => {
    const ours = [base[0]!, code('c1', 'x = 2'), code('c2', '# answer here', 'ran\n'), base[3]!];
    const theirs = [base[0]!, code('c1', 'x = 3'), base[3]!];
    expect(summary(merge(nb(base), nb(ours), nb(theirs)))).toEqual([
      'm1:markdown:# Exercise',
      'c1:code:x = 2',
      'c2:code:# answer here',
      'm2:markdown:End',
    ]);
    const untouched = merge(nb(base), nb(base), nb(theirs));
    expect(summary(untouched)).not.toContain('c2:code:# answer here');
  });

  it('treats a source as a list of lines and as one string alike', () => {
    const ours = [md('m1', ['# Exercise'] as never), ...base.slice(1)];
    const theirs = [base[0]!, code('c1', 'x = 10'), ...base.slice(2)];
    expect(summary(merge(nb(base), nb(ours), nb(theirs)))[1]).toBe('c1:code:x = 10');
  });
});

describe('mergeNotebooks, a cell whose type changed', () => {
  const base = [md('m1', '# Exercise'), code('c1', 'plot()')];

  it("keeps the learner's run code cell after the teacher's Markdown one, and says so", () => {
    const ours = [base[0]!, code('c1', 'plot()', '<Figure>\n')];
    const theirs = [base[0]!, md('c1', 'Plotting comes in the next lesson.')];
    const merged = mergeNotebookCells(nb(base), nb(ours), nb(theirs))!;
    expect(notebookProblem(merged.text)).toBeUndefined();
    const cells = (JSON.parse(merged.text) as { cells: Cell[] }).cells;
    expect(cells[1]).toEqual(md('c1', 'Plotting comes in the next lesson.'));
    const kept = cells[2]!;
    expect({ ...kept, id: 'x' }).toEqual({ ...code('c1', 'plot()', '<Figure>\n'), id: 'x' });
    expect(kept['id']).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(kept['id']).not.toBe('c1');
    expect(merged.notes).toEqual([
      { kind: 'type-changed', cellId: 'c1', learnerCellId: kept['id'], position: 3 },
    ]);
  });

  it("follows the teacher's type without a copy when the learner had not worked in the cell", () => {
    const theirs = [base[0]!, md('c1', 'plot()')];
    const merged = mergeNotebookCells(nb(base), nb(base), nb(theirs))!;
    expect((JSON.parse(merged.text) as { cells: Cell[] }).cells).toEqual(theirs);
    expect(merged.notes).toEqual([]);
  });

  it("gives a cell the learner turned to Markdown no outputs, whatever the teacher's code did", () => {
    const ours = [base[0]!, md('c1', 'plot()')];
    const theirs = [base[0]!, code('c1', 'plot(x)', 'teacher ran it\n')];
    expect(merge(nb(base), nb(ours), nb(theirs))[1]).toEqual(md('c1', 'plot(x)'));
  });

  it('drops attachments from a Markdown cell the teacher turned into code', () => {
    const withImage = [
      md('m1', '![](attachment:a.png)', { attachments: { 'a.png': { 'image/png': 'iVBOR' } } }),
    ];
    const theirs = [code('m1', '![](attachment:a.png)')];
    expect(merge(nb(withImage), nb(withImage), nb(theirs))).toEqual(theirs);
  });

  it('reports learner outputs that went with code the teacher replaced', () => {
    const ours = [base[0]!, code('c1', 'plot()', '<Figure>\n')];
    const theirs = [base[0]!, code('c1', 'plot(size=2)')];
    const merged = mergeNotebookCells(nb(base), nb(ours), nb(theirs))!;
    expect((JSON.parse(merged.text) as { cells: Cell[] }).cells[1]).toEqual(code('c1', 'plot(size=2)'));
    expect(merged.notes).toEqual([{ kind: 'outputs-dropped', cellId: 'c1', position: 2 }]);
  });
});

describe('mergeNotebooks, versions without cell ids (nbformat 4.4)', () => {
  const base = noIds([md('', '# Exercise'), code('', 'x = 1'), code('', '# answer here')]);

  it("merges the teacher's upgrade to 4.5 with a learner still on 4.4, every cell with an id", () => {
    const ours = noIds([md('', '# Exercise'), code('', 'x = 1', '1\n'), code('', 'answer = 42', '42\n')]);
    const theirs = [
      md('t0', '# Exercise 1'),
      code('t1', 'x = 1'),
      code('t2', '# answer here'),
      md('t3', 'New'),
    ];
    const cells = merge(nb(base, 4), nb(ours, 4), nb(theirs));
    expect(summary(cells)).toEqual([
      't0:markdown:# Exercise 1',
      't1:code:x = 1',
      't2:code:answer = 42',
      't3:markdown:New',
    ]);
    expect(cells[1]!['outputs']).toEqual(stdout('1\n'));
  });

  it("matches cells by content when both sides gave ids of their own, taking the teacher's", () => {
    const ours = [
      md('o0', '# Exercise'),
      code('o1', 'x = 1', '1\n'),
      code('o2', 'answer = 42'),
      code('o3', 'mine'),
    ];
    const theirs = [md('t0', '# Exercise 1'), code('t1', 'x = 1'), code('t2', '# answer here')];
    expect(summary(merge(nb(base, 4), nb(ours), nb(theirs)))).toEqual([
      't0:markdown:# Exercise 1',
      't1:code:x = 1',
      't2:code:answer = 42',
      'o3:code:mine',
    ]);
  });

  it("keeps the learner's ids when only the learner has ids", () => {
    const ours = [md('o0', '# Exercise'), code('o1', 'x = 2'), code('o2', '# answer here')];
    const theirs = noIds([md('', '# Exercise'), code('', 'x = 1'), code('', '# answer: a number')]);
    expect(summary(merge(nb(base, 4), nb(ours), nb(theirs, 4)))).toEqual([
      'o0:markdown:# Exercise',
      'o1:code:x = 2',
      'o2:code:# answer: a number',
    ]);
  });

  it('trusts ids over content when the two disagree', () => {
    const ours = [md('a', '# Exercise'), code('b', 'x = 1'), code('c', '# answer here')];
    const theirs = [md('b', '# Exercise'), code('a', 'x = 1'), code('c', '# answer here')];
    expect(summary(merge(nb(base, 4), nb(ours), nb(theirs)))).toEqual([
      'a:code:x = 1',
      'b:markdown:# Exercise',
      'c:code:# answer here',
    ]);
  });

  it("leaves notebooks that have no ids on either side to git's line merge", () => {
    expect(mergeNotebooks(nb(base, 4), nb(base, 4), nb(base, 4))).toBeUndefined();
  });

  it('returns undefined rather than a notebook Jupyter would reject', () => {
    const withIds = [md('m1', '# Exercise')];
    const broken = JSON.stringify({
      ...JSON.parse(nb(withIds)),
      metadata: { kernelspec: { name: 'python3' } },
    });
    expect(mergeNotebooks(nb(withIds), broken, nb([md('m1', '# Exercise 2')]))).toBeUndefined();
  });

  it('renames a repeated id rather than merge two learner cells into one', () => {
    const withIds = [md('m1', '# Exercise'), code('c1', 'x = 1')];
    const ours = [...withIds, code('c1', 'x = 1  # my copy')];
    const cells = merge(nb(withIds), nb(ours), nb([md('m1', '# Exercise 2'), withIds[1]!]));
    expect(cells.map((c) => c['source'])).toEqual(['# Exercise 2', 'x = 1', 'x = 1  # my copy']);
  });
});
