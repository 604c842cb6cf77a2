import { runInNewContext } from 'node:vm';
import type { TextMatch } from '../spec/grading-spec.ts';

interface Tolerance {
  rtol: number;
  atol: number;
}
const maxText = 1_000_000;

/**
 * A teacher's pattern on a learner's text, stopped after `ms`: a pattern that backtracks
 * catastrophically on crafted input must not hang labgate (ReDoS).
 */
export function safeTest(
  pattern: string,
  flags: string,
  text: string,
  ms = 250,
): boolean | 'timeout' | 'invalid' {
  try {
    new RegExp(pattern, flags);
  } catch {
    return 'invalid';
  }
  try {
    return runInNewContext(
      'new RegExp(p, f).test(t)',
      { p: pattern, f: flags, t: text.slice(0, maxText) },
      { timeout: ms },
    ) as boolean;
  } catch {
    return 'timeout';
  }
}

const normalize = (s: string) => s.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\s+/g, ' ').trim();
const numbersIn = (s: string) =>
  (s.slice(0, maxText).match(/[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g) ?? []).map(Number);

/** Whether `text` matches, and a detail for the learner (never the expected text itself). */
export function matchText(
  text: string,
  m: TextMatch,
  defaults: Tolerance,
): { passed: boolean; detail: string } {
  if ('equals' in m) return { passed: text === m.equals, detail: 'the text is not exactly the expected one' };
  if ('normalized_equals' in m)
    return {
      passed: normalize(text) === normalize(m.normalized_equals),
      detail: 'the text is not the expected one',
    };
  if ('contains' in m) return { passed: text.includes(m.contains), detail: 'the expected text is not there' };
  if ('regex' in m) {
    const r = safeTest(m.regex, m.flags ?? '', text);
    if (r === 'timeout') return { passed: false, detail: 'the teacher’s pattern took too long on this text' };
    if (r === 'invalid') return { passed: false, detail: 'the teacher’s pattern is not valid' };
    return { passed: r, detail: 'the text does not have the expected form' };
  }
  if ('keywords' in m) {
    const lower = normalize(text).toLowerCase();
    const found = m.keywords.filter(
      (k) => safeTest(`(^|\\W)${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|\\W)`, 'iu', lower) === true,
    );
    const need = m.at_least ?? m.keywords.length;
    return {
      passed: found.length >= need,
      detail: `${found.length} of the ${need} expected key words or phrases found${found.length ? ` (${found.join(', ')})` : ''}`,
    };
  }
  const tol = { rtol: m.tolerance?.rtol ?? defaults.rtol, atol: m.tolerance?.atol ?? defaults.atol };
  const found = numbersIn(text);
  let from = 0;
  for (const e of m.numbers) {
    const i = found.findIndex((a, j) => j >= from && Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e));
    if (i < 0)
      return {
        passed: false,
        detail: `the expected numbers are not all there (${found.length} numbers found)`,
      };
    from = i + 1;
  }
  return { passed: true, detail: 'the expected numbers are there' };
}

/** Required patterns all match, forbidden ones none. */
export function checkSource(source: string, require: string[], forbid: string[], hidden: boolean) {
  for (const p of require)
    if (safeTest(p, 'm', source) !== true)
      return {
        passed: false,
        detail: hidden ? 'something your teacher expects is missing' : `nothing matches ${p}`,
      };
  for (const p of forbid)
    if (safeTest(p, 'm', source) !== false)
      return {
        passed: false,
        detail: hidden
          ? 'it uses a construct your teacher asked you not to use'
          : `it uses ${p}, which is not allowed here`,
      };
  return { passed: true, detail: 'the code has the expected form' };
}
