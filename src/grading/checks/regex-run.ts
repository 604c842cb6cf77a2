import { createContext, Script } from 'node:vm';

/** Teacher patterns run on learner text: a pattern that backtracks catastrophically is stopped here. */
export const regexTimeoutMs = 250;
/** Text beyond this many characters is not searched. */
export const maxTextLength = 1_000_000;

export type RegexFailure = 'slow' | 'invalid' | 'failed';

export type RegexRun =
  { ok: true; match: { index: number; text: string } | null } | { ok: false; why: RegexFailure };

const compiled = new Map<string, RegExp | null>();
const maxCached = 1_000;

/** Compiles once per pattern and flags; null when the pattern is not a valid regex. */
export function compileRegex(pattern: string, flags: string): RegExp | null {
  const key = `${flags}/${pattern}`;
  let re = compiled.get(key);
  if (re !== undefined) return re;
  try {
    re = new RegExp(pattern, flags);
  } catch {
    re = null;
  }
  if (compiled.size >= maxCached) compiled.clear();
  compiled.set(key, re);
  return re;
}

// The vm timeout interrupts V8's regex engine even for a RegExp made in this realm.
const context = createContext({ re: null, text: '' });
const script = new Script('((m) => (m === null ? null : [m.index, m[0]]))(re.exec(text))');

export const regexFailureText: Record<RegexFailure, string> = {
  slow: `the pattern took too long on this text (more than ${regexTimeoutMs} ms), so it was stopped`,
  invalid: 'the pattern in grading.yml is not a valid regular expression',
  failed: 'the pattern could not be run on this text',
};

/** The first match of `pattern` in `text` (cut at 1 MB), or why there is no answer. */
export function runRegex(pattern: string, flags: string, text: string): RegexRun {
  const re = compileRegex(pattern, flags);
  if (!re) return { ok: false, why: 'invalid' };
  context['re'] = re;
  context['text'] = text.length > maxTextLength ? text.slice(0, maxTextLength) : text;
  try {
    const m = script.runInContext(context, { timeout: regexTimeoutMs }) as [number, string] | null;
    return { ok: true, match: m && { index: m[0], text: m[1] } };
  } catch (err) {
    const slow = (err as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
    return { ok: false, why: slow ? 'slow' : 'failed' };
  } finally {
    context['re'] = null;
    context['text'] = '';
  }
}
