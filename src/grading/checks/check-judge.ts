import type { OutputsSeen, QuestionSeen } from '../grading.ts';
import type { Check } from '../spec/grading-spec.ts';
import type { Tolerance } from './number-close.ts';
import { checkSource } from './source-check.ts';
import { matchText, type TextVerdict } from './text-match.ts';
import { compareValue, errorText, noObservation, type Verdict } from './value-compare.ts';

type Stream = Extract<Check, { type: 'output' }>['stream'];

export const manualMessage = 'To be graded by your teacher';
export const noOutput = 'no output was recorded for this block';
export const noBlock = 'the block is missing';

const streamName: Record<Stream, string> = {
  stdout: 'the printed output',
  stderr: 'the error output',
  result: 'the result',
  any: 'the output',
};

/** `any` is what a learner sees under the cell: printed text, then results. */
export function streamText(o: OutputsSeen, stream: Stream): string {
  const text = (s: unknown) => (typeof s === 'string' ? s : '');
  if (stream !== 'any') return text(o[stream]);
  return [text(o.stdout), text(o.result)].filter(Boolean).join('\n');
}

/** A text verdict as a sentence; a hidden check's says only that it failed, unless the pattern stopped. */
function sentence(subject: string, v: TextVerdict, hidden: boolean): Verdict {
  if (v.passed || !hidden || v.stopped) return { passed: v.passed, message: `${subject} ${v.detail}` };
  return { passed: false, message: `${subject} is not what is expected` };
}

function judgeTest(seen: unknown, hidden: boolean): Verdict {
  const t = seen as { ok?: unknown; error?: { ename: string; evalue: string } } | undefined;
  if (!t || typeof t !== 'object' || typeof t.ok !== 'boolean')
    return { passed: false, message: noObservation };
  if (t.ok) return { passed: true, message: 'the test passed' };
  if (hidden)
    return {
      passed: false,
      message: `a hidden test failed (${errorText({ ename: t.error?.ename ?? '', evalue: '' })})`,
    };
  return { passed: false, message: errorText(t.error, 300) };
}

function judgeOutput(
  c: Extract<Check, { type: 'output' }>,
  o: OutputsSeen | undefined,
  tol: Tolerance,
): Verdict {
  if (!o) return { passed: false, message: noOutput };
  const v = sentence(streamName[c.stream], matchText(streamText(o, c.stream), c.match, tol), c.hidden);
  if (v.passed || !o.error) return v;
  return { passed: false, message: `${v.message} (the block raised ${errorText(o.error, 200)})` };
}

/** One automatic check on what was seen; manual checks are left to the teacher. */
export function judgeCheck(c: Check, seen: QuestionSeen, index: number, tol: Tolerance): Verdict {
  const observed = seen.checks?.[index];
  switch (c.type) {
    case 'manual':
      return { passed: false, message: manualMessage };
    case 'value':
      return compareValue(observed as Parameters<typeof compareValue>[0], c, tol);
    case 'test':
      return judgeTest(observed, c.hidden);
    case 'output':
      return judgeOutput(c, seen.outputs, tol);
    case 'text':
      if (seen.source === undefined) return { passed: false, message: noBlock };
      return sentence('your answer', matchText(seen.source, c.match, tol), c.hidden);
    case 'source':
      if (seen.source === undefined) return { passed: false, message: noBlock };
      return sentence('your code', checkSource(seen.source, c.require, c.forbid, c.hidden), false);
    default: {
      const _: never = c;
      return _;
    }
  }
}
