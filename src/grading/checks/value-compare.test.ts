import { describe, expect, it } from 'vitest';
import type { Encoded, ValueSeen } from '../grading.ts';
import { check } from '../spec/grading-spec.ts';
import { compareValue, type ValueCheck } from './value-compare.ts';

const defaults = { rtol: 1e-6, atol: 1e-9 };
const valueCheck = (o: Record<string, unknown>) =>
  check.parse({ type: 'value', expr: 'f(x)', ...o }) as ValueCheck;
const returned = (value: unknown): ValueSeen => ({ ok: true, value: value as Encoded });
const judge = (value: unknown, o: Record<string, unknown>) =>
  compareValue(returned(value), valueCheck(o), defaults);
const passes = (value: unknown, o: Record<string, unknown>) => judge(value, o).passed;
const liar = { $repr: '<Liar>', $type: '__main__.Liar' };

describe('numbers', () => {
  it('accepts |a − e| ≤ atol + rtol·|e|, with the check overriding the defaults field by field', () => {
    expect(passes(100.00001, { expect: 100 })).toBe(true);
    expect(passes(100.001, { expect: 100 })).toBe(false);
    expect(passes(100.001, { expect: 100, tolerance: { rtol: 1e-4 } })).toBe(true);
    expect(passes(1e-10, { expect: 0 })).toBe(true);
    expect(passes(1e-8, { expect: 0 })).toBe(false);
    expect(passes(1e-8, { expect: 0, tolerance: { atol: 1e-7 } })).toBe(true);
    // The check names atol only: rtol still comes from the spec's defaults.
    const loose = compareValue(returned(105), valueCheck({ expect: 100, tolerance: { atol: 0 } }), {
      rtol: 0.1,
    });
    expect(loose.passed).toBe(true);
  });

  it('compares ints and floats alike, but a bool is never a number', () => {
    expect(passes(3, { expect: 3.0000000001 })).toBe(true);
    expect(passes(1e20, { expect: 100000000000000000000 })).toBe(true);
    expect(judge(true, { expect: 1 })).toEqual({
      passed: false,
      message: 'f(x) returned True (a bool; a number expected)',
    });
    expect(passes(1, { expect: true })).toBe(false);
    expect(passes(0, { expect: false })).toBe(false);
    expect(passes([true, 2], { expect: [1, 2] })).toBe(false);
  });

  it('treats NaN as equal to NaN only with equal_nan, and infinities as themselves', () => {
    const nan = { $float: 'nan' };
    expect(judge(nan, { expect: NaN })).toEqual({
      passed: false,
      message: 'f(x) returned nan, not the expected value',
    });
    expect(passes(nan, { expect: NaN, equal_nan: true })).toBe(true);
    expect(passes(0, { expect: NaN, equal_nan: true })).toBe(false);
    expect(passes([1, nan], { expect: [1, NaN], equal_nan: true })).toBe(true);
    expect(passes({ $float: 'inf' }, { expect: Infinity })).toBe(true);
    expect(passes({ $float: '-inf' }, { expect: Infinity })).toBe(false);
    expect(passes(1e308, { expect: Infinity })).toBe(false);
  });
});

describe('collections', () => {
  it('reports a list of the wrong length with both lengths on a visible check', () => {
    const r = compareValue(
      returned([1, 4, 9]),
      valueCheck({ expr: 'squares(10)', expect: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100] }),
      defaults,
    );
    expect(r).toEqual({ passed: false, message: 'squares(10) returned [1, 4, 9] (3 items; 10 expected)' });
  });

  it('compares unordered lists as multisets, duplicates counted', () => {
    expect(passes([2, 1, 1], { expect: [1, 1, 2], unordered: true })).toBe(true);
    expect(passes([1, 1, 2], { expect: [1, 2, 2], unordered: true })).toBe(false);
    expect(passes([1, 2, 1], { expect: [1, 1, 2] })).toBe(false);
    expect(judge(['x', 'y', 'z'], { expect: ['x', 'y', 'y'], unordered: true }).message).toBe(
      "f(x) returned ['x', 'y', 'z'] (at [2]: matches none of the expected items)",
    );
    const pairs = [
      [2, 'b'],
      [1, 'a'],
      [1, 'a'],
    ];
    expect(
      passes(pairs, {
        expect: [
          [1, 'a'],
          [2, 'b'],
          [1, 'a'],
        ],
        unordered: true,
      }),
    ).toBe(true);
    expect(
      passes(pairs, {
        expect: [
          [1, 'a'],
          [2, 'b'],
          [2, 'b'],
        ],
        unordered: true,
      }),
    ).toBe(false);
  });

  it('finds a pairing under tolerance where matching each expected item to the first close one would not', () => {
    const tolerance = { atol: 0.5, rtol: 0 };
    expect(passes([[1.4], [0.6]], { expect: [[1], [1.5]], unordered: true, tolerance })).toBe(true);
    expect(passes([1.4, 0.6], { expect: [1, 1.5], unordered: true, tolerance })).toBe(true);
    expect(passes([1.4, 0.4], { expect: [1, 1.5], unordered: true, tolerance })).toBe(false);
  });

  it('compares an observed set in any order, whatever the check says', () => {
    expect(passes({ $set: [3, 1, 2] }, { expect: [1, 2, 3] })).toBe(true);
    expect(passes({ $set: [3, 1, 2] }, { expect: { $set: [2, 3, 1] } })).toBe(true);
    expect(passes({ $set: [3, 1] }, { expect: [1, 2] })).toBe(false);
    expect(judge([1, 2], { expect: { $set: [1, 2] } }).message).toBe(
      'f(x) returned [1, 2] (a list; a set expected)',
    );
  });

  it('requires exactly the same keys, naming the extra ones and counting the missing', () => {
    expect(passes({ b: 2, a: { x: [1, 2] } }, { expect: { a: { x: [1, 2] }, b: 2 } })).toBe(true);
    expect(judge({ a: 1, d: 2 }, { expect: { a: 1, b: 2, c: 3 } }).message).toBe(
      "f(x) returned {'a': 1, 'd': 2} (1 unexpected key 'd'; 2 keys missing)",
    );
    expect(judge({ a: { x: [1, 'two'] } }, { expect: { a: { x: [1, 2] } } }).message).toBe(
      "f(x) returned {'a': {'x': [1, 'two']}} (at ['a']['x'][1]: a string; a number expected)",
    );
    expect(passes({ a: 1, b: 2 }, { expect: { a: 1 } })).toBe(false);
  });

  it('never equates a dict with non-string keys to one written with string keys, but compares $dict to $dict', () => {
    const r = judge(
      {
        $dict: [
          [1, 'a'],
          [2, 'b'],
        ],
      },
      { expect: { '1': 'a', '2': 'b' } },
    );
    expect(r.passed).toBe(false);
    expect(r.message).toContain('keys are not all strings');
    expect(r.message).toContain("{1: 'a', 2: 'b'}");
    expect(
      passes(
        {
          $dict: [
            [1, 'a'],
            [2, 'b'],
          ],
        },
        {
          expect: {
            $dict: [
              [2, 'b'],
              [1, 'a'],
            ],
          },
        },
      ),
    ).toBe(true);
    expect(
      passes(
        {
          $dict: [
            [1, 'a'],
            [2, 'b'],
          ],
        },
        {
          expect: {
            $dict: [
              [2, 'b'],
              [1, 'x'],
            ],
          },
        },
      ),
    ).toBe(false);
  });
});

describe('pandas', () => {
  const frame = {
    $frame: {
      columns: ['a', 'b'],
      index: [0, 1],
      data: [
        [1, 2.5],
        [3, 4],
      ],
    },
  };

  it('compares a DataFrame to a plain 2-D array by its data, and to a $frame field by field', () => {
    expect(
      passes(frame, {
        expect: [
          [1, 2.5],
          [3, 4],
        ],
      }),
    ).toBe(true);
    expect(
      judge(frame, {
        expect: [
          [1, 2.5],
          [3, 5],
        ],
      }).message,
    ).toBe('f(x) returned a DataFrame of 2 rows (at .data[1][1]: not the expected value)');
    expect(
      passes(frame, {
        expect: {
          $frame: {
            columns: ['a', 'b'],
            data: [
              [1, 2.5],
              [3, 4],
            ],
          },
        },
      }),
    ).toBe(true);
    expect(
      judge(frame, {
        expect: {
          $frame: {
            columns: ['a', 'c'],
            data: [
              [1, 2.5],
              [3, 4],
            ],
          },
        },
      }).message,
    ).toContain('at .columns[1]');
    expect(
      passes(frame, {
        expect: [
          [3, 4],
          [1, 2.5],
        ],
        unordered: true,
      }),
    ).toBe(true);
  });

  it('compares a Series to a plain array by its data', () => {
    const series = { $series: { index: ['x', 'y'], data: [1, 2] } };
    expect(passes(series, { expect: [1, 2] })).toBe(true);
    expect(passes(series, { expect: [2, 1] })).toBe(false);
    expect(passes(series, { expect: { $series: { index: ['x', 'z'], data: [1, 2] } } })).toBe(false);
  });
});

describe('values labgate cannot compare', () => {
  it('fails an object whose __eq__ said True to everything, whatever the expected value', () => {
    for (const expected of [3, '<Liar>', [1], liar]) {
      const r = judge(liar, { expect: expected });
      expect(r).toEqual({
        passed: false,
        message: 'f(x) returned <Liar> (a __main__.Liar, which labgate cannot compare)',
      });
    }
    expect(judge([1, liar], { expect: [1, 2] }).message).toBe(
      'f(x) returned [1, <Liar>] (at [1]: a __main__.Liar, which labgate cannot compare)',
    );
    expect(passes({ $truncated: true }, { expect: [1] })).toBe(false);
  });

  it('turns down a value nested 10,000 deep without overflowing the stack', () => {
    let deep: unknown = 1;
    let same: unknown = 1;
    for (let i = 0; i < 10_000; i++) {
      deep = [deep];
      same = [same];
    }
    const r = judge(deep, { expect: same });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(
      /^f\(x\) returned \[\[\[.*nested more than 50 levels deep: too deep to compare$/,
    );
    expect(r.message.length).toBeLessThan(300);
  });

  it('turns down a value with more than 100,000 items, and keeps the message short', () => {
    const huge = Array.from({ length: 200_000 }, (_, i) => i);
    const r = judge(huge, { expect: huge });
    expect(r.passed).toBe(false);
    expect(r.message).toContain('more than 100,000 values: too big to compare');
    expect(r.message.length).toBeLessThan(400);
    const long = judge('x'.repeat(1_000_000), { expect: 'y' });
    expect(long.message.length).toBeLessThan(400);
  });

  it('escapes control and bidi characters of the learner’s value', () => {
    const r = judge('ok\u001b[2J\u202e', { expect: 'x' });
    expect(r.message).toBe("f(x) returned 'ok\\u001b[2J\\u202e', not the expected value");
  });

  it('fails cleanly when no observation came back', () => {
    expect(compareValue(undefined, valueCheck({ expect: 1 }), defaults)).toEqual({
      passed: false,
      message: 'no observation was returned for this check',
    });
  });
});

describe('errors', () => {
  const raised = (ename: string, evalue = ''): ValueSeen => ({ ok: false, error: { ename, evalue } });

  it('expects an error by name, with or without its module', () => {
    const c = valueCheck({ expr: 'squares(0)', expect_error: 'ValueError' });
    expect(compareValue(raised('ValueError'), c, defaults).passed).toBe(true);
    expect(compareValue(raised('builtins.ValueError'), c, defaults).passed).toBe(true);
    expect(compareValue(raised('MyValueError'), c, defaults).passed).toBe(false);
    expect(compareValue(returned(0), c, defaults).message).toBe(
      'squares(0) returned 0 instead of raising ValueError',
    );
    expect(compareValue(raised('TypeError', 'bad'), c, defaults).message).toBe(
      'squares(0) raised TypeError: bad instead of ValueError',
    );
  });

  it('reports an unexpected error with its value', () => {
    expect(
      compareValue(
        raised('ZeroDivisionError', 'division by zero'),
        valueCheck({ expr: 'mean([])', expect: 0 }),
        defaults,
      ),
    ).toEqual({
      passed: false,
      message: 'mean([]) raised ZeroDivisionError: division by zero',
    });
  });
});

describe('hidden checks', () => {
  it('never show the expected value, its length, type or keys', () => {
    const cases: Array<[unknown, Record<string, unknown>, string]> = [
      [[1, 4, 9], { expect: [1, 4, 9, 16, 25, 36, 49, 64, 81, 4242] }, '4242'],
      ['SECRET', { expect: 'HIDDEN-SECRET-97' }, 'HIDDEN-SECRET-97'],
      [{ a: 1 }, { expect: { a: 1, zeta_hidden_key: 2 } }, 'zeta_hidden_key'],
      [3, { expect: 'a string' }, 'string'],
      [[1, 2], { expect: [1, 3] }, '3'],
      [0, { expect_error: 'HiddenMarkerError' }, 'HiddenMarkerError'],
      [{ $dict: [[1, 'a']] }, { expect: { '1': 'a' } }, 'keys'],
    ];
    for (const [value, o, secret] of cases) {
      const shown = judge(value, o);
      const hidden = judge(value, { ...o, hidden: true });
      expect(shown.passed).toBe(false);
      expect(hidden.passed).toBe(false);
      expect(hidden.message).not.toContain(secret);
      expect(hidden.message).toMatch(/not the expected (value|outcome)$/);
    }
    expect(judge([1, 4, 9], { expect: [1, 4, 9, 16], hidden: true }).message).toBe(
      'f(x) returned [1, 4, 9], not the expected value',
    );
  });

  it('say nothing of the value when they pass', () => {
    expect(judge([1, 2, 3], { expect: [1, 2, 3], hidden: true })).toEqual({
      passed: true,
      message: 'f(x) returned the expected value',
    });
  });
});

describe('large unordered answers', () => {
  it('accepts a correct answer of thousands of items in another order, quickly', () => {
    const started = performance.now();
    const words = Array.from({ length: 50_000 }, (_, i) => `w${i}`);
    expect(passes({ $set: [...words].reverse() }, { expect: words })).toBe(true);
    const counts = Array.from({ length: 3_000 }, (_, i) => [`w${i}`, i]);
    expect(passes([...counts].reverse(), { expect: counts, unordered: true })).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('gives up on a pairing search that would take too long, with a message, in bounded time', () => {
    const started = performance.now();
    const expected = Array.from({ length: 20_000 }, (_, i) => [i, `w${i}`]);
    const close = expected.map(([n, w]) => [(n as number) + 1e-12, w]).reverse();
    const r = judge(close, { expect: expected, unordered: true });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/too big to compare in any order$/);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
