import { describe, expect, it } from 'vitest';
import { parseCheckResult, summarizeCheck } from '../../jupyter-extension/src/check-result';
import { ENGLISH, FRENCH } from '../../jupyter-extension/src/messages';

const answer = {
  reveal: 'diff',
  nextCheckInSeconds: 60,
  questions: [
    {
      id: 'squares',
      status: 'not-yet',
      hint: 'Start at 1.',
      checks: [{ passed: false, message: 'squares(4) returned [0,1,4,9], not the expected value' }],
      diff: [
        { op: 'remove', text: '    return [i * i for i in range(n)]\n' },
        { op: 'add', text: '    return [i * i for i in range(1, n + 1)]\n' },
      ],
    },
    { id: 'mean', status: 'passed', checks: [{ passed: true, message: 'mean([1, 2, 3, 4]) is right' }] },
    { id: 'total', status: 'no-response' },
  ],
};

describe('Check my answer, as the learner reads it', () => {
  it('says how many questions are right, each one’s checks, hint and diff', () => {
    const s = summarizeCheck(parseCheckResult(answer), ENGLISH);
    expect(s.blocks[0]).toEqual({ kind: 'sentence', text: '1 of 3 questions right.' });
    expect(s.blocks).toContainEqual({
      kind: 'list',
      heading: '✗ squares: not yet',
      items: ['✗ squares(4) returned [0,1,4,9], not the expected value'],
    });
    expect(s.blocks).toContainEqual({ kind: 'sentence', text: 'Hint: Start at 1.' });
    expect(s.blocks.find((b) => b.kind === 'diff')).toMatchObject({
      lines: [{ op: 'remove' }, { op: 'add' }],
    });
    expect(s.blocks).toContainEqual({ kind: 'list', heading: '✗ total: no answer yet', items: [] });
    expect(summarizeCheck(parseCheckResult(answer), FRENCH).blocks[0]).toEqual({
      kind: 'sentence',
      text: '1 question juste sur 3.',
    });
  });

  it('refuses an answer that is not labgate’s', () => {
    expect(() => parseCheckResult({ ...answer, questions: [{ id: 'x', status: 'cheating' }] })).toThrow(
      /status/,
    );
    expect(() => parseCheckResult({ questions: [] })).toThrow(/nextCheckInSeconds/);
  });
});
