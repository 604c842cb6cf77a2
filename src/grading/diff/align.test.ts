import { describe, expect, it } from 'vitest';
import { block, type Block } from '../documents/document.ts';
import { alignBlocks } from './align.ts';

const code = (source: string, key?: string): Block => block({ kind: 'code', source, key });
const md = (source: string, key?: string): Block => block({ kind: 'markdown', source, key });
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
});
