import type { Encoded, ValueSeen } from '../grading.ts';
import type { Check } from '../spec/grading-spec.ts';

type ValueCheck = Extract<Check, { type: 'value' }>;
interface Tolerance {
  rtol: number;
  atol: number;
}

const isObj = (v: unknown): v is Record<string, Encoded> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const special = (v: Encoded) => (isObj(v) ? Object.keys(v).find((k) => k.startsWith('$')) : undefined);

/** The learner's value, short enough for a message. */
export function shown(v: Encoded): string {
  let s: string;
  try {
    s = isObj(v) && '$repr' in v ? `a ${String(v['$type'])} object` : JSON.stringify(v);
  } catch {
    s = 'a value too deep to show';
  }
  return s.length > 200 ? `${s.slice(0, 197)}…` : s;
}

const floatOf = (v: Encoded): number | undefined =>
  typeof v === 'number'
    ? v
    : isObj(v) && typeof v['$float'] === 'string'
      ? ({ nan: NaN, inf: Infinity, '-inf': -Infinity } as Record<string, number>)[v['$float']]
      : undefined;

/** Structural equality under the check's tolerance; a budget keeps hostile shapes from taking long. */
function equal(
  seen: Encoded,
  want: unknown,
  c: ValueCheck,
  tol: Tolerance,
  budget: { left: number },
  depth = 0,
): boolean {
  if (--budget.left < 0 || depth > 50) return false;
  const e = typeof want === 'number' ? want : undefined;
  if (e !== undefined) {
    const a = floatOf(seen);
    if (a === undefined || typeof seen === 'boolean') return false;
    if (Number.isNaN(e) || Number.isNaN(a)) return c.equal_nan && Number.isNaN(e) && Number.isNaN(a);
    if (!Number.isFinite(e) || !Number.isFinite(a)) return a === e;
    return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
  }
  if (want === null || typeof want === 'boolean' || typeof want === 'string') return seen === want;
  if (Array.isArray(want)) {
    const list = Array.isArray(seen)
      ? seen
      : isObj(seen) && Array.isArray(seen['$set'])
        ? (seen['$set'] as Encoded[])
        : isObj(seen) && isObj(seen['$series'])
          ? (seen['$series']['data'] as Encoded[])
          : isObj(seen) && isObj(seen['$frame'])
            ? (seen['$frame']['data'] as Encoded[])
            : undefined;
    if (!Array.isArray(list) || list.length !== want.length) return false;
    const unordered = c.unordered || (isObj(seen) && '$set' in seen);
    if (!unordered) return want.every((w, i) => equal(list[i]!, w, c, tol, budget, depth + 1));
    const used = new Set<number>();
    return want.every((w) => {
      const i = list.findIndex((s, j) => !used.has(j) && equal(s, w, c, tol, budget, depth + 1));
      return i >= 0 && used.add(i) !== undefined;
    });
  }
  if (isObj(want) && isObj(seen)) {
    if (special(seen) === '$repr' || special(seen) === '$truncated') return false;
    const keys = Object.keys(want);
    if (keys.length !== Object.keys(seen).length) return false;
    return keys.every((k) => k in seen && equal(seen[k]!, want[k], c, tol, budget, depth + 1));
  }
  return false;
}

/** Judges a value check on what the sandbox saw; messages never hold the expected value. */
export function compareValue(
  seen: ValueSeen,
  c: ValueCheck,
  defaults: Tolerance,
): { passed: boolean; message: string } {
  const tol = { rtol: c.tolerance?.rtol ?? defaults.rtol, atol: c.tolerance?.atol ?? defaults.atol };
  if (c.expect_error !== undefined) {
    if (
      !seen.ok &&
      (seen.error.ename === c.expect_error || seen.error.ename === `builtins.${c.expect_error}`)
    )
      return { passed: true, message: `${c.expr} raised ${seen.error.ename}, as it should` };
    return {
      passed: false,
      message: seen.ok
        ? `${c.expr} returned ${shown(seen.value)} instead of raising ${c.hidden ? 'the expected error' : c.expect_error}`
        : `${c.expr} raised ${seen.error.ename}${c.hidden ? ', not the expected error' : ` instead of ${c.expect_error}`}`,
    };
  }
  if (!seen.ok)
    return {
      passed: false,
      message: `${c.expr} raised ${seen.error.ename}: ${seen.error.evalue.slice(0, 300)}`,
    };
  if (equal(seen.value, c.expect, c, tol, { left: 100_000 }))
    return { passed: true, message: `${c.expr} is right` };
  const sizes =
    !c.hidden && Array.isArray(c.expect) && Array.isArray(seen.value) && seen.value.length !== c.expect.length
      ? ` (${seen.value.length} items; ${c.expect.length} expected)`
      : '';
  return {
    passed: false,
    message: `${c.expr} returned ${shown(seen.value)}${sizes}, not the expected value`,
  };
}
