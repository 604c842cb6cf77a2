import type { CheckResult, QuestionResult, QuestionSeen, QuestionStatus } from '../grading.ts';
import type { Check, Question } from '../spec/grading-spec.ts';
import { judgeCheck } from './check-judge.ts';
import type { Tolerance } from './number-close.ts';
import type { Verdict } from './value-compare.ts';

export const noResponse = 'No response: this block is as the template gave it.';
export const notJudged = 'labgate could not judge this check';

const executes = (c: Check) => c.type === 'value' || c.type === 'test' || c.type === 'output';
const possible = (c: Check) => (c.type === 'manual' ? c.rubric.reduce((s, r) => s + r.points, 0) : c.points);

const withHint = (message: string, hint: string) =>
  `${message}${/[.!?]$/.test(message) ? '' : '.'} Hint: ${hint}`;

/** A judge that throws on some observation fails that check alone, never the whole submission. */
function verdictOf(c: Check, seen: QuestionSeen, i: number, tol: Tolerance): Verdict & { judged: boolean } {
  if (seen.unchanged) return { passed: false, message: noResponse, judged: false };
  if (executes(c) && seen.notRun) return { passed: false, message: seen.notRun.message, judged: false };
  try {
    return { ...judgeCheck(c, seen, i, tol), judged: c.type !== 'manual' };
  } catch {
    return { passed: false, message: notJudged, judged: false };
  }
}

function statusOf(
  q: { unchanged: boolean; notRun: boolean; manual: boolean; failed: boolean },
  score: number,
  max: number,
): QuestionStatus {
  if (q.unchanged) return 'no-response';
  if (q.notRun && score === 0) return 'error';
  if (q.manual) return q.failed ? (score > 0 ? 'partial' : 'failed') : 'manual';
  if (!q.failed || (max > 0 && score >= max)) return 'passed';
  return score > 0 ? 'partial' : 'failed';
}

/**
 * Judges one question from what was seen. Score: passed checks' points, capped at the question's
 * points (all or nothing: every automatic check passed, or 0); manual checks score 0 until a teacher grades.
 */
export function scoreQuestion(
  file: string,
  q: Question,
  seen: QuestionSeen,
  defaults: Tolerance,
): QuestionResult {
  const checks: CheckResult[] = q.checks.map((c, i) => {
    const v = verdictOf(c, seen, i, defaults);
    const hint = v.judged && !v.passed && !c.hidden && c.hint;
    return {
      type: c.type,
      passed: v.passed,
      points: v.passed && c.type !== 'manual' ? c.points : 0,
      hidden: c.hidden,
      message: hint ? withHint(v.message, hint) : v.message,
      ...(c.type === 'test' ? { lowerAssurance: true } : {}),
    };
  });
  const maxScore = q.points ?? q.checks.reduce((s, c) => s + possible(c), 0);
  const auto = checks.filter((c) => c.type !== 'manual');
  const failed = auto.some((c) => !c.passed);
  const autoMax = q.checks.reduce((s, c) => s + (c.type === 'manual' ? 0 : c.points), 0);
  const earned = q.all_or_nothing ? (failed ? 0 : autoMax) : auto.reduce((s, c) => s + c.points, 0);
  const score = seen.unchanged ? 0 : Math.min(earned, maxScore);
  const manual = q.checks.some((c) => c.type === 'manual');
  const status = statusOf(
    { unchanged: seen.unchanged, notRun: !!seen.notRun, manual, failed },
    score,
    maxScore,
  );
  const helps = status !== 'passed' && status !== 'manual';
  return { id: q.id, file, score, maxScore, status, checks, ...(q.hint && helps ? { hint: q.hint } : {}) };
}
