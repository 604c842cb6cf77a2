import { describe, expect, it } from 'vitest';
import { block, type Block, type Document, type Output } from '../documents/document.ts';
import { alignBlocks } from './align.ts';
import { diffDocuments } from './document-diff.ts';
import { similarity } from './similarity.ts';

const code = (source: string, key?: string): Block => block({ kind: 'code', source, key });
const md = (source: string, key?: string): Block => block({ kind: 'markdown', source, key });
const run = (source: string, text: string): Block =>
  block({ kind: 'code', source, outputs: [{ type: 'stream', name: 'stdout', text } satisfies Output] });
const notebook = (blocks: Block[]): Document => ({ format: 'notebook', blocks, metadata: {}, notes: [] });
const rows = (l: Block[], r: Block[]) =>
  alignBlocks(l, r).map((p) => `${p.moved ? 'moved ' : ''}${p.left ?? '-'}:${p.right ?? '-'}`);

describe('block alignment', () => {
  it('follows cell ids through edits, insertions and deletions', () => {
    const left = [code('a = 1', 'a'), code('b = 2', 'b'), code('c = 3', 'c')];
    const right = [code('a = 10', 'a'), md('# new', 'n'), code('c = 3', 'c')];
    expect(rows(left, right)).toEqual(['0:0', '1:-', '-:1', '2:2']);
  });

  it('reports a cell moved elsewhere as moved, not as deleted and re-added', () => {
    const left = [code('import numpy', 'i'), code('def f(x):\n    return x', 'f'), code('f(2)', 'c')];
    const right = [code('def f(x):\n    return x', 'f'), code('import numpy', 'i'), code('f(2)', 'c')];
    expect(rows(left, right).filter((r) => r.startsWith('moved'))).toHaveLength(1);
    const withoutIds = rows(
      left.map((b) => ({ ...b, key: undefined })),
      right.map((b) => ({ ...b, key: undefined })),
    );
    expect(withoutIds.filter((r) => r.startsWith('moved'))).toHaveLength(1);
  });

  it('pairs an edited cell with its old version by similarity when there are no ids', () => {
    const left = [
      md('# Title'),
      code('def mean(xs):\n    return sum(xs) / len(xs)\n'),
      code('print(mean([1, 2]))'),
    ];
    const right = [
      md('# Title'),
      code('def mean(values):\n    return sum(values) / len(values)\n'),
      code('print(mean([1, 2]))'),
    ];
    expect(rows(left, right)).toEqual(['0:0', '1:1', '2:2']);
  });

  it('never pairs cells of different kinds, nor unrelated text', () => {
    const left = [md('Explain the result in your own words.')];
    const right = [code('import pandas as pd\ndf = pd.read_csv("data.csv")')];
    expect(rows(left, right)).toEqual(['0:-', '-:0']);
  });

  it('ignores an id that several cells share (copy-paste) and aligns them by content', () => {
    const left = [code('x = 1', 'same'), code('y = 2', 'same')];
    const right = [code('x = 1', 'same'), code('y = 2', 'same')];
    expect(rows(left, right)).toEqual(['0:0', '1:1']);
  });

  it('stays near-linear on large gaps without ids (no m×n grid)', () => {
    const left = Array.from({ length: 3000 }, (_, i) => code(`value_${i} = compute(${i})`));
    const right = Array.from({ length: 3000 }, (_, i) => code(`value_${i} = compute(${i} + 1)`));
    const out = alignBlocks(left, right);
    expect(out.filter((p) => p.left !== undefined && p.right !== undefined).length).toBeGreaterThan(2900);
  });

  it('pairs an edited cell with its most similar old version, not the first one above the threshold', () => {
    const deleted = 'def median(xs):\n    s = sorted(xs)\n    return s[len(s) // 2]\n';
    const edited = 'def mean(xs):\n    return sum(xs) / len(xs)\n';
    const now = 'def mean(xs):\n    if not xs:\n        return 0.0\n    return sum(xs) / len(xs)\n';
    expect(similarity(deleted, now)).toBeGreaterThan(0.5); // the deleted cell clears the threshold too
    expect(similarity(edited, now)).toBeGreaterThan(similarity(deleted, now));
    const left = [md('# Statistics'), code(deleted), code(edited), code('print(mean([1, 2, 3]))')];
    const right = [md('# Statistics'), code(now), code('print(mean([1, 2, 3]))')];
    expect(rows(left, right)).toEqual(['0:0', '1:-', '2:1', '3:2']);
  });

  it('picks the most similar cell in large gaps too, where a deleted cell sits next to edited ones', () => {
    const step = (i: number, edited: boolean) =>
      code(`def step_${i}(x):\n    y = x * ${i}\n    return ${edited ? '2 * y' : 'y'}\n`);
    const left = Array.from({ length: 80 }, (_, i) => step(i, false));
    const right = Array.from({ length: 80 }, (_, i) => step(i, true)).filter((_, i) => i !== 40);
    expect(left.length * right.length).toBeGreaterThan(4_096); // past the exact grid
    const expected = left.map((_, i) => (i === 40 ? '40:-' : `${i}:${i < 40 ? i : i - 1}`));
    expect(rows(left, right)).toEqual(expected);
  });

  it('pairs an id-less cell with its id-less partner, not with a new cell that has an id', () => {
    const old = 'total = sum(scores)\nprint(total)\n';
    const added = 'total = sum(scores) + bonus\nprint(total)\n';
    const edited = 'total = sum(scores)\nprint(total / len(scores))\n';
    expect(similarity(old, added)).toBeGreaterThanOrEqual(similarity(old, edited));
    const left = [code('import math', 'a'), code(old), code('math.sqrt(2)', 'c')];
    const right = [code('import math', 'a'), code(added, 'z'), code(edited), code('math.sqrt(2)', 'c')];
    expect(rows(left, right)).toEqual(['0:0', '-:1', '1:2', '2:3']);
  });

  it('pairs cells of identical source by their outputs too: swapped outputs are a move, not two edits', () => {
    const left = [md('# Draws'), run('print(next(draws))', '3\n'), run('print(next(draws))', '5\n')];
    const right = [md('# Draws'), run('print(next(draws))', '5\n'), run('print(next(draws))', '3\n')];
    const diff = diffDocuments(notebook(left), notebook(right));
    expect(diff.summary).toEqual({ added: 0, removed: 0, modified: 0, moved: 1, unchanged: 2 });
    expect(diff.identical).toBe(false);
  });

  it('lets only cells found once on each side anchor: repeated cells pair in place, not with the first copy', () => {
    const left = [
      code('def f(x): return x**2'),
      code('x = 3'),
      run('f(x)', '9\n'),
      code('x = 3'),
      run('f(x)', '9\n'),
    ];
    const right = [
      code('def f(x): return x**2'),
      code('x = 5'),
      run('f(x)', '25\n'),
      code('x = 3'),
      run('f(x)', '9\n'),
    ];
    expect(rows(left, right)).toEqual(['0:0', '1:1', '2:2', '3:3', '4:4']);
  });
});
