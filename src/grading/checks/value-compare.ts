import type { ErrorSeen, ValueSeen } from '../grading.ts';
import type { Check } from '../spec/grading-spec.ts';
import { mergeTolerance, type Tolerance } from './number-close.ts';
import { findMismatch, type Mismatch } from './value-equal.ts';
import { quote, renderValue, safeText } from './value-render.ts';
import { maxDepth, maxNodes, scanObserved, type ScanProblem } from './value-scan.ts';

export type ValueCheck = Extract<Check, { type: 'value' }>;

export interface Verdict {
  passed: boolean;
  message: string;
}

export const noObservation = 'no observation was returned for this check';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const at = (path: string, text: string) => (path ? ` (at ${path}: ${text})` : ` (${text})`);

/** The learner's error, with what they wrote in it shown safely. */
export function errorText(error: ErrorSeen | undefined, max = 300): string {
  const ename = typeof error?.ename === 'string' && error.ename ? safeText(error.ename, 100) : 'an error';
  const evalue = typeof error?.evalue === 'string' ? safeText(error.evalue, max) : '';
  return evalue ? `${ename}: ${evalue}` : ename;
}

/** `ValueError` matches `ValueError` and `builtins.ValueError`, either way round. */
export const sameError = (seen: unknown, expected: string) =>
  typeof seen === 'string' &&
  (seen === expected || seen.endsWith(`.${expected}`) || expected.endsWith(`.${seen}`));

function scanned(p: ScanProblem): string {
  if (p.problem === 'deep') return `, nested more than ${maxDepth} levels deep: too deep to compare`;
  if (p.problem === 'big') return `, more than ${maxNodes.toLocaleString('en')} values: too big to compare`;
  if (p.problem === 'opaque') return at(p.path, `a ${safeText(p.type, 100)}, which labgate cannot compare`);
  if (p.problem === 'truncated') return at(p.path, 'too big to send, so it could not be compared');
  return at(p.path, 'a value labgate cannot read');
}

/** What differs, for a visible check: the observed side's shape, and only lengths and types of the expected. */
function described(m: Mismatch): string {
  switch (m.why) {
    case 'type':
      return at(m.path, `${m.seen}; ${m.expected} expected`);
    case 'length':
      return at(m.path, `${plural(m.seen, 'item')}; ${m.expected} expected`);
    case 'keys': {
      const shown = m.extra.slice(0, 5).map((k) => quote(k, 40));
      const more = m.extra.length > 5 ? ` and ${m.extra.length - 5} more` : '';
      const extra = shown.length
        ? `${plural(m.extra.length, 'unexpected key')} ${shown.join(', ')}${more}`
        : '';
      const missing = m.missing ? `${plural(m.missing, 'key')} missing` : '';
      return at(m.path, [extra, missing].filter(Boolean).join('; '));
    }
    case 'value':
      return m.path ? at(m.path, 'not the expected value') : ', not the expected value';
    case 'unordered':
      return m.item === undefined
        ? at(m.path, 'the items do not match the expected ones in any order')
        : at(`${m.path}[${m.item}]`, 'matches none of the expected items');
    case 'pairs':
      return at(
        m.path,
        'a dict whose keys are not all strings, which cannot equal a dict written with string keys',
      );
    case 'work':
      return ', too big to compare in any order';
    default: {
      const _: never = m;
      return _;
    }
  }
}

function judgeError(seen: ValueSeen, check: ValueCheck, expr: string, wanted: string): Verdict {
  const visible = !check.hidden;
  const ename = seen.ok ? undefined : seen.error?.ename;
  if (!seen.ok && sameError(ename, wanted))
    return {
      passed: true,
      message: `${expr} raised ${errorText({ ename: ename!, evalue: '' })}, as expected`,
    };
  const did = seen.ok ? `returned ${renderValue(seen.value)}` : `raised ${errorText(seen.error)}`;
  const instead = seen.ok
    ? `instead of raising ${safeText(wanted, 200)}`
    : `instead of ${safeText(wanted, 200)}`;
  return {
    passed: false,
    message: `${expr} ${did}${visible ? ` ${instead}` : ', not the expected outcome'}`,
  };
}

/**
 * Judges a value check on what the sandbox saw. Messages never hold the expected value; a hidden
 * check's say only "not the expected value" (or outcome) beyond facts about the learner's own value.
 */
export function compareValue(seen: ValueSeen | undefined, check: ValueCheck, defaults: Tolerance): Verdict {
  const expr = safeText(check.expr, 100);
  if (!seen || typeof seen !== 'object' || typeof seen.ok !== 'boolean')
    return { passed: false, message: noObservation };
  if (check.expect_error !== undefined) return judgeError(seen, check, expr, check.expect_error);
  if (!seen.ok) return { passed: false, message: `${expr} raised ${errorText(seen.error)}` };
  if (check.expect === undefined)
    return { passed: false, message: 'this check has no expected value to compare with' };
  const prefix = `${expr} returned ${renderValue(seen.value)}`;
  const problem = scanObserved(seen.value);
  if (problem) return { passed: false, message: prefix + scanned(problem) };
  const mismatch = findMismatch(seen.value, check.expect, {
    ...mergeTolerance(defaults, check.tolerance),
    equalNan: check.equal_nan,
    unordered: check.unordered,
  });
  if (!mismatch) return { passed: true, message: `${expr} returned the expected value` };
  const hiddenSafe = mismatch.why === 'work' ? described(mismatch) : ', not the expected value';
  return { passed: false, message: prefix + (check.hidden ? hiddenSafe : described(mismatch)) };
}
