import type {
  CheckResult,
  OutputsSeen,
  QuestionResult,
  QuestionSeen,
  QuestionStatus,
  TestSeen,
  ValueSeen,
} from '../grading.ts';
import type { Check, Question } from '../spec/grading-spec.ts';
import { checkSource, matchText } from './text-match.ts';
import { compareValue } from './value-compare.ts';

interface Tolerance {
  rtol: number;
  atol: number;
}
const runs = (c: Check) => c.type === 'value' || c.type === 'test' || c.type === 'output';
const pointsOf = (c: Check) => (c.type === 'manual' ? c.rubric.reduce((s, r) => s + r.points, 0) : c.points);

function outputText(o: OutputsSeen, stream: 'stdout' | 'stderr' | 'result' | 'any') {
  return stream === 'any' ? [o.stdout, o.result].filter(Boolean).join('\n') : o[stream];
}

function judge(
  c: Check,
  seen: QuestionSeen,
  i: number,
  tol: Tolerance,
): { passed: boolean; message: string } {
  if (c.type === 'manual') return { passed: false, message: 'To be graded by your teacher' };
  if (runs(c) && seen.notRun) return { passed: false, message: `Not checked: ${seen.notRun.message}.` };
  const observed = seen.checks[i];
  switch (c.type) {
    case 'value':
      return observed
        ? compareValue(observed as ValueSeen, c, tol)
        : { passed: false, message: 'no observation came back for this check' };
    case 'test': {
      const t = observed as TestSeen | undefined;
      if (!t) return { passed: false, message: 'no observation came back for this test' };
      if (t.ok) return { passed: true, message: 'the test passed' };
      return {
        passed: false,
        message: c.hidden
          ? `a hidden test failed (${t.error.ename})`
          : `the test failed: ${t.error.ename}${t.error.evalue ? `: ${t.error.evalue.slice(0, 300)}` : ''}`,
      };
    }
    case 'output': {
      if (!seen.outputs) return { passed: false, message: 'the block has no output' };
      const m = matchText(outputText(seen.outputs, c.stream), c.match, tol);
      return {
        passed: m.passed,
        message: m.passed ? 'the output is right' : `the output is not right: ${m.detail}`,
      };
    }
    case 'text': {
      const m = matchText(seen.source ?? '', c.match, tol);
      return { passed: m.passed, message: m.passed ? 'the answer has what is expected' : m.detail };
    }
    case 'source': {
      const m = checkSource(seen.source ?? '', c.require, c.forbid, c.hidden);
      return { passed: m.passed, message: m.detail };
    }
  }
}

/** Judges one question from what was seen: checks' points summed, capped at the question's. */
export function scoreQuestion(file: string, q: Question, seen: QuestionSeen, tol: Tolerance): QuestionResult {
  const max = q.points ?? q.checks.reduce((s, c) => s + pointsOf(c), 0);
  const checks: CheckResult[] = q.checks.map((c, i) => {
    const j = seen.unchanged
      ? { passed: false, message: 'No response: this block is as the template gave it.' }
      : judge(c, seen, i, tol);
    const hint = !j.passed && c.type !== 'manual' && !c.hidden && c.hint ? ` Hint: ${c.hint}` : '';
    return {
      type: c.type,
      passed: j.passed,
      points: j.passed ? pointsOf(c) : 0,
      hidden: c.hidden,
      message: j.message + hint,
      ...(c.type === 'test' ? { lowerAssurance: true } : {}),
    };
  });
  const auto = checks.filter((c) => c.type !== 'manual');
  const allPassed = auto.every((c) => c.passed);
  const sum = checks.reduce((s, c) => s + c.points, 0);
  const score = Math.min(max, q.all_or_nothing ? (allPassed ? max : 0) : sum);
  const status: QuestionStatus = seen.unchanged
    ? 'no-response'
    : seen.notRun && score === 0
      ? 'error'
      : checks.some((c) => c.type === 'manual') && allPassed
        ? 'manual'
        : auto.length > 0 && allPassed && score >= max
          ? 'passed'
          : score > 0
            ? 'partial'
            : 'failed';
  return {
    id: q.id,
    file,
    score,
    maxScore: max,
    status,
    checks,
    ...(q.hint && status !== 'passed' ? { hint: q.hint } : {}),
  };
}
