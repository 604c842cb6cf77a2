import type { TextMatch } from '../spec/grading-spec.ts';
import { isClose, mergeTolerance, type Tolerance } from './number-close.ts';
import { compileRegex, maxTextLength, regexFailureText, runRegex } from './regex-run.ts';

/** `detail` completes "the output …" or "your answer …"; it may name keywords, never other expected text. */
export interface TextVerdict {
  passed: boolean;
  detail: string;
  /** The teacher's pattern did not finish (too slow, invalid): says nothing about the expected text. */
  stopped?: boolean;
}

export const normalizeText = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

const numberPattern = /[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

/** Where two texts first differ, as a line and column a learner can find. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const before = a.slice(0, i);
  const line = before.split('\n').length;
  return `line ${line}, column ${i - before.lastIndexOf('\n')}`;
}

function equals(text: string, expected: string): TextVerdict {
  if (text === expected) return { passed: true, detail: 'matches the expected text' };
  const why =
    normalizeText(text) === normalizeText(expected)
      ? 'it differs only in spaces, line breaks or line endings'
      : `first difference at ${firstDifference(text, expected)}`;
  return { passed: false, detail: `is not the expected text (${why})` };
}

const wordChar = /[\p{L}\p{N}_]/u;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** A keyword as a whole word or phrase, any case, any spacing between its words. */
export function keywordPattern(keyword: string): string {
  const k = keyword.normalize('NFC').trim();
  const body = k.split(/\s+/).map(escapeRegex).join('\\s+');
  const start = wordChar.test(k.slice(0, 1)) ? '(?<![\\p{L}\\p{N}_])' : '';
  const end = wordChar.test(k.slice(-1)) ? '(?![\\p{L}\\p{N}_])' : '';
  return `${start}${body}${end}`;
}

function keywords(text: string, words: string[], atLeast: number | undefined): TextVerdict {
  const found = words.filter((w) => compileRegex(keywordPattern(w), 'iu')?.test(text) ?? false);
  const missing = words.filter((w) => !found.includes(w));
  const needed = Math.min(atLeast ?? words.length, words.length);
  const list = (ws: string[]) => ws.map((w) => `“${w}”`).join(', ');
  const parts = [
    found.length ? `found ${list(found)}` : '',
    missing.length ? `missing ${list(missing)}` : '',
  ];
  const count = `has ${found.length} of the ${words.length} keywords (${needed} needed)`;
  return { passed: found.length >= needed, detail: `${count}: ${parts.filter(Boolean).join('; ')}` };
}

/** Each expected number, in order, matched by a later number of the text within tolerance. */
function numbers(text: string, expected: number[], tol: ReturnType<typeof mergeTolerance>): TextVerdict {
  const found = Array.from(text.matchAll(numberPattern), (m) => Number(m[0]));
  let at = 0;
  let matched = 0;
  for (const e of expected) {
    while (at < found.length && !isClose(found[at]!, e, tol, false)) at++;
    if (at === found.length) break;
    at++;
    matched++;
  }
  if (matched === expected.length) return { passed: true, detail: 'holds the expected numbers, in order' };
  return {
    passed: false,
    detail: `holds ${matched} of the ${expected.length} expected numbers, in order (${found.length} numbers found)`,
  };
}

/** Judges text (an output, or prose) against a teacher's match. Text past 1 MB is not read. */
export function matchText(text: string, match: TextMatch, defaults: Tolerance): TextVerdict {
  const t = text.length > maxTextLength ? text.slice(0, maxTextLength) : text;
  if ('equals' in match) return equals(t, match.equals);
  if ('normalized_equals' in match)
    return normalizeText(t) === normalizeText(match.normalized_equals)
      ? { passed: true, detail: 'matches the expected text' }
      : { passed: false, detail: 'is not the expected text (spaces and line breaks aside)' };
  if ('contains' in match)
    return t.includes(match.contains)
      ? { passed: true, detail: 'contains the expected text' }
      : { passed: false, detail: 'does not contain the expected text' };
  if ('regex' in match) {
    const r = runRegex(match.regex, match.flags ?? '', t);
    if (!r.ok)
      return { passed: false, detail: `could not be checked: ${regexFailureText[r.why]}`, stopped: true };
    return r.match
      ? { passed: true, detail: 'matches the expected pattern' }
      : { passed: false, detail: 'does not match the expected pattern' };
  }
  if ('keywords' in match) return keywords(t.normalize('NFC'), match.keywords, match.at_least);
  return numbers(t, match.numbers, mergeTolerance(defaults, match.tolerance));
}
