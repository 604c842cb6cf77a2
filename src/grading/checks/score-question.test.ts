import { describe, expect, it } from 'vitest';
import type { QuestionSeen } from '../grading.ts';
import { question } from '../spec/grading-spec.ts';
import { scoreQuestion } from './score-question.ts';

const defaults = { rtol: 1e-6, atol: 1e-9 };
const q = (checks: unknown[], extra: Record<string, unknown> = {}) =>
  question.parse({ id: 'q1', locate: { tag: 'q1' }, checks, ...extra });
const seenWith = (o: Partial<QuestionSeen>): QuestionSeen => ({
  source: 'def squares(n):\n    return [i * i for i in range(1, n + 1)]\n',
  unchanged: false,
  outputs: { stdout: '', stderr: '', result: '', error: null },
  checks: [],
  notRun: undefined,
  ...o,
});
const value = (expect: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'value',
  expr: 'squares(3)',
  expect,
  ...extra,
});
const ok = (v: unknown) => ({ ok: true as const, value: v as never });

describe('scoreQuestion', () => {
  it('gives an untouched block no response, every check failed with the same message', () => {
    const question = q([value([1, 4, 9]), { type: 'manual', rubric: [{ points: 2, text: 'clear' }] }], {
      hint: 'Start at 1.',
    });
    const r = scoreQuestion(
      'hw.ipynb',
      question,
      seenWith({ unchanged: true, checks: [ok([1, 4, 9])] }),
      defaults,
    );
    expect(r).toMatchObject({ id: 'q1', file: 'hw.ipynb', score: 0, maxScore: 3, status: 'no-response' });
    expect(r.hint).toBe('Start at 1.');
    for (const c of r.checks)
      expect(c).toMatchObject({
        passed: false,
        points: 0,
        message: 'No response: this block is as the template gave it.',
      });
  });

  it('fails the checks that need a run when the block did not run, and still judges the static ones', () => {
    const notRun = {
      reason: 'timeout' as const,
      message: 'The cell timed out after 30 s, so this was not checked.',
    };
    const checks = [
      value([1, 4, 9]),
      { type: 'output', match: { contains: 'x' } },
      { type: 'source', require: ['def squares'] },
    ];
    const r = scoreQuestion('hw.ipynb', q(checks), seenWith({ notRun, checks: [ok([1, 4, 9])] }), defaults);
    expect(r.checks.map((c) => [c.passed, c.message])).toEqual([
      [false, notRun.message],
      [false, notRun.message],
      [true, 'your code has the expected form'],
    ]);
    expect(r).toMatchObject({ score: 1, maxScore: 3, status: 'partial' });
    const none = scoreQuestion('hw.ipynb', q(checks.slice(0, 2)), seenWith({ notRun }), defaults);
    expect(none).toMatchObject({ score: 0, status: 'error' });
  });

  it('sums passed checks’ points and caps them at the question’s', () => {
    const checks = [
      value([1, 4, 9], { points: 3 }),
      value(0, { points: 3 }),
      value(14, { points: 3, expr: 'sum(squares(3))' }),
    ];
    const two = seenWith({ checks: [ok([1, 4, 9]), ok(0), ok(13)] });
    expect(scoreQuestion('f', q(checks, { points: 5 }), two, defaults)).toMatchObject({
      score: 5,
      maxScore: 5,
      status: 'passed',
    });
    expect(scoreQuestion('f', q(checks), two, defaults)).toMatchObject({
      score: 6,
      maxScore: 9,
      status: 'partial',
    });
    const one = seenWith({ checks: [ok([1, 4, 9]), ok(1), ok(13)] });
    expect(scoreQuestion('f', q(checks, { points: 5 }), one, defaults)).toMatchObject({
      score: 3,
      status: 'partial',
    });
    const none = seenWith({ checks: [ok([]), ok(1), ok(13)] });
    expect(scoreQuestion('f', q(checks, { points: 5 }), none, defaults)).toMatchObject({
      score: 0,
      status: 'failed',
    });
  });

  it('all or nothing: full marks only when every automatic check passed', () => {
    const checks = [value([1, 4, 9], { points: 2 }), value(0, { points: 2 })];
    const question = q(checks, { all_or_nothing: true });
    expect(
      scoreQuestion('f', question, seenWith({ checks: [ok([1, 4, 9]), ok(1)] }), defaults),
    ).toMatchObject({
      score: 0,
      maxScore: 4,
      status: 'failed',
    });
    expect(
      scoreQuestion('f', question, seenWith({ checks: [ok([1, 4, 9]), ok(0)] }), defaults),
    ).toMatchObject({
      score: 4,
      status: 'passed',
    });
  });

  it('leaves manual checks to the teacher: status manual when no automatic check failed', () => {
    const checks = [
      value([1, 4, 9], { points: 2 }),
      {
        type: 'manual',
        rubric: [
          { points: 3, text: 'explains' },
          { points: 1, text: 'tidy' },
        ],
      },
    ];
    const good = scoreQuestion('f', q(checks), seenWith({ checks: [ok([1, 4, 9])] }), defaults);
    expect(good).toMatchObject({ score: 2, maxScore: 6, status: 'manual' });
    expect(good.checks[1]).toMatchObject({
      type: 'manual',
      passed: false,
      points: 0,
      message: 'To be graded by your teacher',
    });
    const bad = scoreQuestion('f', q(checks), seenWith({ checks: [ok([1])] }), defaults);
    expect(bad).toMatchObject({ score: 0, status: 'failed' });
  });

  it('shows a visible test’s error but only the error name of a hidden one, and flags tests as lower assurance', () => {
    const code = 'assert squares(2) == [1, 4], "TOP-SECRET-ASSERT"';
    const checks = [
      { type: 'test', code },
      { type: 'test', code, hidden: true },
      { type: 'test', code: 'pass' },
    ];
    const error = { ename: 'AssertionError', evalue: 'TOP-SECRET-ASSERT' };
    const r = scoreQuestion(
      'f',
      q(checks),
      seenWith({ checks: [{ ok: false, error }, { ok: false, error }, { ok: true }] }),
      defaults,
    );
    expect(r.checks.map((c) => c.message)).toEqual([
      'AssertionError: TOP-SECRET-ASSERT',
      'a hidden test failed (AssertionError)',
      'the test passed',
    ]);
    expect(r.checks.every((c) => c.lowerAssurance === true)).toBe(true);
    expect(JSON.stringify(r.checks[1])).not.toContain('TOP-SECRET');
    expect(JSON.stringify(r)).not.toContain('squares(2) == [1, 4]');
  });

  it('reads outputs from the chosen stream; no outputs fails', () => {
    const outputs = { stdout: 'computing\n', stderr: 'warning: slow', result: '[1, 4, 9]', error: null };
    const checks = [
      { type: 'output', match: { regex: 'computing\\n+\\[1, 4, 9\\]' } },
      { type: 'output', stream: 'stderr', match: { contains: 'warning' } },
      { type: 'output', stream: 'result', match: { contains: 'computing' } },
    ];
    const r = scoreQuestion('f', q(checks), seenWith({ outputs }), defaults);
    expect(r.checks.map((c) => c.passed)).toEqual([true, true, false]);
    expect(r.checks[2]!.message).toBe('the result does not contain the expected text');
    const none = scoreQuestion('f', q(checks.slice(0, 1)), seenWith({ outputs: undefined }), defaults);
    expect(none.checks[0]).toMatchObject({ passed: false, message: 'no output was recorded for this block' });
  });

  it('judges prose with text checks and says when the block is gone', () => {
    const checks = [{ type: 'text', match: { keywords: ['variance', 'mean'] } }];
    const prose = seenWith({ source: 'The variance measures spread around the mean.' });
    expect(scoreQuestion('f', q(checks), prose, defaults).status).toBe('passed');
    const gone = scoreQuestion('f', q(checks), seenWith({ source: undefined }), defaults);
    expect(gone.checks[0]).toMatchObject({ passed: false, message: 'the block is missing' });
  });

  it('adds the question’s hint unless it passed, and a visible check’s own hint to its message', () => {
    const checks = [
      value([1, 4, 9], { hint: 'Use range(1, n + 1).' }),
      value(0, { hidden: true, hint: 'HIDDEN-HINT', expr: 'squares(0)' }),
    ];
    const question = q(checks, { hint: 'Squares of 1..n.' });
    const r = scoreQuestion('f', question, seenWith({ checks: [ok([0, 1, 4]), ok(1)] }), defaults);
    expect(r.hint).toBe('Squares of 1..n.');
    expect(r.checks[0]!.message).toBe(
      'squares(3) returned [0, 1, 4] (at [0]: not the expected value). Hint: Use range(1, n + 1).',
    );
    expect(r.checks[1]!.message).toBe('squares(0) returned 1, not the expected value');
    const passed = scoreQuestion('f', question, seenWith({ checks: [ok([1, 4, 9]), ok(0)] }), defaults);
    expect(passed.status).toBe('passed');
    expect(passed.hint).toBeUndefined();
  });

  it('never puts a hidden check’s expected value anywhere in the result', () => {
    const marker = 'HIDDEN-EXPECTED-31337';
    const checks = [
      value(marker, { hidden: true }),
      { type: 'output', hidden: true, match: { equals: marker } },
      { type: 'text', hidden: true, match: { keywords: [marker] } },
      { type: 'source', hidden: true, require: [marker], forbid: ['squares'] },
    ];
    const r = scoreQuestion('f', q(checks), seenWith({ checks: [ok('HIDDEN-EXPECTED-0')] }), defaults);
    expect(r.checks.every((c) => !c.passed && c.hidden)).toBe(true);
    expect(JSON.stringify(r)).not.toContain(marker);
  });

  it('fails one check whose observation cannot be read, and judges the others', () => {
    const hostile = {
      ok: true,
      get value(): never {
        throw new Error('boom');
      },
    };
    const checks = [value([1]), value([1, 4, 9])];
    const r = scoreQuestion(
      'f',
      q(checks),
      seenWith({ checks: [hostile as never, ok([1, 4, 9])] }),
      defaults,
    );
    expect(r.checks.map((c) => c.passed)).toEqual([false, true]);
    expect(r).toMatchObject({ score: 1, status: 'partial' });
  });
});
