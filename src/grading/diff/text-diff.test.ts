import { describe, expect, it } from 'vitest';
import type { TextDiff } from './diff-model.ts';
import { diffText } from './text-diff.ts';

/** Both sides rebuilt from the diff: what a renderer shows must be exactly the two texts. */
function sides(d: TextDiff): [string, string] {
  const left: string[] = [];
  const right: string[] = [];
  for (const op of d.ops) {
    if (op.op === 'equal') {
      left.push(...op.lines);
      right.push(...op.lines);
    } else if (op.op === 'remove') left.push(...op.lines);
    else if (op.op === 'add') right.push(...op.lines);
    else {
      left.push(...op.left);
      right.push(...op.right);
    }
  }
  const drop = (text: string, side: 'left' | 'right') =>
    d.noFinalNewline === side ? text.replace(/\n$/, '') : text;
  return [drop(left.join(''), 'left'), drop(right.join(''), 'right')];
}

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('line diff', () => {
  it('in a run of unequal length, pairs each line with the one it became, words marked, others added', () => {
    const left = 'def mean(xs):\n    # your code\n    total = sum(xs)\n    return total\n';
    const right = 'def mean(xs):\n    total = sum(xs)\n    n = len(xs)\n    return total / n\n';
    const d = diffText(left, right);
    expect(sides(d)).toEqual([left, right]);
    expect(d.ops.map((o) => o.op)).toEqual(['equal', 'remove', 'equal', 'add', 'replace']);
    const last = d.ops.at(-1)!;
    expect(
      last.op === 'replace' && last.words?.[0]?.filter((w) => w.op === 'add').map((w) => w.text),
    ).toEqual([' / n']);
    // Nothing alike: removed and added, never paired at random.
    const other = diffText('a = 1\n# todo\n...\n', 'a = 1\nreturn sum(values) / len(values)\n');
    expect(other.ops.map((o) => o.op)).toEqual(['equal', 'replace']);
    expect(other.ops[1]!.op === 'replace' && other.ops[1]!.words).toBeUndefined();
  });

  it('finds the changed line and the changed word in it', () => {
    const d = diffText('a = 1\nb = 2\nc = 3\n', 'a = 1\nb = 20\nc = 3\n');
    expect(d).toMatchObject({ added: 1, removed: 1 });
    const replace = d.ops.find((op) => op.op === 'replace');
    expect(replace).toMatchObject({ left: ['b = 2\n'], right: ['b = 20\n'] });
    expect(replace?.op === 'replace' && replace.words?.[0]).toContainEqual({ op: 'add', text: '20' });
  });

  it('rebuilds both texts exactly, over many random edits (the unique-line prefilter loses nothing)', () => {
    const random = rng(42);
    const pool = Array.from({ length: 30 }, (_, i) => `line ${i}\n`);
    for (let run = 0; run < 200; run++) {
      const pick = () =>
        Array.from({ length: Math.floor(random() * 40) }, () => pool[Math.floor(random() * pool.length)]!);
      const a = pick().join('') + (random() < 0.5 ? 'no newline at end' : '');
      const b = pick().join('') + (random() < 0.3 ? 'line 3' : '');
      const d = diffText(a, b);
      expect(sides(d)).toEqual([a, b]);
      expect(d.coarse).toBeUndefined();
    }
  });

  it('shows a line that differs only by its final newline as the same line, naming the side without it', () => {
    const d = diffText('a\nb\n\nlast', 'a\nb\n\nlast\n');
    expect(d.ops).toEqual([{ op: 'equal', lines: ['a\n', 'b\n', '\n', 'last\n'] }]);
    expect(d).toMatchObject({ added: 0, removed: 0, noFinalNewline: 'left' });
    expect(sides(d)).toEqual(['a\nb\n\nlast', 'a\nb\n\nlast\n']);
    const other = diffText('x\ny = 1\n', 'x\ny = 2');
    expect(other).toMatchObject({ added: 1, removed: 1, noFinalNewline: 'right' });
    expect(other.ops[1]).toMatchObject({ op: 'replace', left: ['y = 1\n'], right: ['y = 2\n'] });
    expect(sides(other)).toEqual(['x\ny = 1\n', 'x\ny = 2']);
  });

  it('says nothing of the final newline when both sides lack it, or one side is empty', () => {
    expect(diffText('a\nb', 'a\nc').noFinalNewline).toBeUndefined();
    expect(diffText('', 'a').noFinalNewline).toBeUndefined();
    expect(diffText('a', '').noFinalNewline).toBeUndefined();
    expect(diffText('a\n', 'a\n').noFinalNewline).toBeUndefined();
  });

  it('keeps blank lines as lines of their own', () => {
    const d = diffText('a\n\n\nb\n', 'a\n\nb\n');
    expect(sides(d)).toEqual(['a\n\n\nb\n', 'a\n\nb\n']);
    expect(d).toMatchObject({ added: 0, removed: 1 });
  });

  it('compares two unrelated 10,000-line files exactly, thanks to the prefilter', () => {
    const a = Array.from({ length: 10_000 }, (_, i) => `left ${i}\n`).join('');
    const b = Array.from({ length: 10_000 }, (_, i) => `right ${i}\n`).join('');
    const d = diffText(a, b, 200);
    expect(d).toMatchObject({ added: 10_000, removed: 10_000 });
    expect(d.coarse).toBeUndefined();
  });

  it('falls back to “all removed, all added” when the time bound is hit, and says so', () => {
    const random = rng(7);
    const lines = Array.from({ length: 3_000 }, () => `v${Math.floor(random() * 50)}\n`);
    const shuffled = [...lines].sort(() => random() - 0.5);
    const d = diffText(lines.join(''), shuffled.join(''), 1);
    expect(sides(d)).toEqual([lines.join(''), shuffled.join('')]);
    if (d.coarse) expect(d).toMatchObject({ added: 3_000, removed: 3_000 });
  });
});
