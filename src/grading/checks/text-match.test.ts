import { describe, expect, it } from 'vitest';
import { checkSource } from './source-check.ts';
import { matchText } from './text-match.ts';

const defaults = { rtol: 1e-6, atol: 1e-9 };

describe('matchText', () => {
  it('equals is exact, and says when only spacing differs', () => {
    expect(matchText('hello\n', { equals: 'hello\n' }, defaults).passed).toBe(true);
    expect(matchText('hello\n', { equals: 'hello' }, defaults)).toEqual({
      passed: false,
      detail: 'is not the expected text (it differs only in spaces, line breaks or line endings)',
    });
    expect(matchText('a\nb\nxyz', { equals: 'a\nb\nxYz' }, defaults).detail).toBe(
      'is not the expected text (first difference at line 3, column 2)',
    );
  });

  it('normalized_equals ignores spacing, line endings and Unicode composition, not case', () => {
    const m = { normalized_equals: 'Mean: 2.5\nDone é' };
    expect(matchText('  Mean:   2.5\r\n\r\nDone e\u0301  ', m, defaults).passed).toBe(true);
    expect(matchText('mean: 2.5 done é', m, defaults).passed).toBe(false);
  });

  it('contains and regex, with flags', () => {
    expect(matchText('Total: 42 items', { contains: '42 items' }, defaults).passed).toBe(true);
    expect(matchText('Total: 42 Items', { contains: '42 items' }, defaults).passed).toBe(false);
    expect(matchText('TOTAL = 42', { regex: '^total\\s*=\\s*\\d+$', flags: 'i' }, defaults).passed).toBe(
      true,
    );
    expect(matchText('x\nTOTAL = 42', { regex: '^total = 42', flags: 'i' }, defaults).passed).toBe(false);
    expect(matchText('x\nTOTAL = 42', { regex: '^total = 42', flags: 'im' }, defaults).passed).toBe(true);
    expect(matchText('a\nb', { regex: 'a.b', flags: 's' }, defaults).passed).toBe(true);
    expect(matchText('anything', { regex: '(unclosed' }, defaults)).toMatchObject({
      passed: false,
      stopped: true,
    });
  });

  it('stops a catastrophically backtracking pattern within a second, then keeps working', () => {
    const started = performance.now();
    const r = matchText(`${'a'.repeat(40)}!`, { regex: '(a+)+$' }, defaults);
    const took = performance.now() - started;
    expect(r).toMatchObject({ passed: false, stopped: true });
    expect(r.detail).toContain('took too long');
    expect(took).toBeLessThan(1_000);
    expect(matchText('aaa', { regex: '(a+)+$' }, defaults).passed).toBe(true);
  });

  it('does not read past 1 MB of text', () => {
    expect(matchText(`${'x'.repeat(1_000_000)}needle`, { contains: 'needle' }, defaults).passed).toBe(false);
    expect(matchText(`${'x'.repeat(999_000)}needle`, { contains: 'needle' }, defaults).passed).toBe(true);
  });

  it('keywords: whole words, any case, telling which were found and which are missing', () => {
    const text = 'The MEAN is meaningful; the median too.';
    const all = matchText(text, { keywords: ['mean', 'median', 'mode'] }, defaults);
    expect(all).toEqual({
      passed: false,
      detail: 'has 2 of the 3 keywords (3 needed): found “mean”, “median”; missing “mode”',
    });
    expect(matchText(text, { keywords: ['mean', 'median', 'mode'], at_least: 2 }, defaults).passed).toBe(
      true,
    );
    expect(matchText('meaningful', { keywords: ['mean'] }, defaults).passed).toBe(false);
    expect(matchText('Standard\n  Deviation', { keywords: ['standard deviation'] }, defaults).passed).toBe(
      true,
    );
    expect(matchText('les écarts', { keywords: ['écart'] }, defaults).passed).toBe(false);
    expect(matchText('un ÉCART', { keywords: ['écart'] }, defaults).passed).toBe(true);
    expect(matchText('I use C++ daily', { keywords: ['c++'] }, defaults).passed).toBe(true);
  });

  it('numbers: each expected number found in order, within tolerance', () => {
    const text = 'mean = 2.5001, total: -1.5e3 (n=12)';
    expect(matchText(text, { numbers: [2.5, -1500] }, defaults).passed).toBe(false);
    expect(matchText(text, { numbers: [2.5, -1500], tolerance: { rtol: 1e-3 } }, defaults).passed).toBe(true);
    expect(matchText(text, { numbers: [-1500, 2.5], tolerance: { rtol: 1e-3 } }, defaults)).toEqual({
      passed: false,
      detail: 'holds 1 of the 2 expected numbers, in order (3 numbers found)',
    });
    expect(matchText('1 1', { numbers: [1, 1, 1] }, defaults).passed).toBe(false);
    expect(matchText('1 2 1', { numbers: [1, 1] }, defaults).passed).toBe(true);
  });

  it('never puts the expected text in its detail', () => {
    const secret = 'EXPECTED-SECRET-TEXT';
    for (const m of [
      { equals: secret },
      { normalized_equals: secret },
      { contains: secret },
      { regex: secret },
    ])
      expect(matchText('something else', m, defaults).detail).not.toContain(secret);
    expect(matchText('no numbers', { numbers: [9876.5] }, defaults).detail).not.toContain('9876');
  });
});

describe('checkSource', () => {
  const code = 'import numpy as np\n\ndef squares(n):\n    for i in range(n):\n        yield i * i\n';

  it('passes when every required pattern matches and no forbidden one does', () => {
    expect(checkSource(code, ['def\\s+squares', '^\\s+yield'], ['\\bwhile\\b']).passed).toBe(true);
    expect(checkSource(code, ['def\\s+squares', 'return'], []).detail).toBe(
      'lacks 1 of the 2 constructs this check requires',
    );
  });

  it('names where a forbidden pattern matched on a visible check, and only that it did on a hidden one', () => {
    const shown = checkSource(code, [], ['\\bfor\\b']);
    expect(shown.passed).toBe(false);
    expect(shown.detail).toBe(
      'uses a construct your teacher asked you not to use: for on line 4 (pattern \\bfor\\b)',
    );
    const hidden = checkSource(code, ['def\\s+cubes'], ['\\bfor\\b'], true);
    expect(hidden).toEqual({ passed: false, detail: 'uses a construct your teacher asked you not to use' });
    expect(checkSource(code, ['def\\s+cubes'], [], true).detail).not.toContain('cubes');
  });

  it('fails, rather than hangs, on a forbidden pattern that backtracks forever', () => {
    const started = performance.now();
    const r = checkSource(`x = '${'a'.repeat(40)}!'`, [], ['(a+)+$']);
    expect(r.passed).toBe(false);
    expect(r.detail).toContain('took too long');
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
