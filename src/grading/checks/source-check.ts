import { regexFailureText, runRegex } from './regex-run.ts';
import { safeText } from './value-render.ts';
import type { TextVerdict } from './text-match.ts';

/** Source patterns read lines: `^` and `$` match at each line's ends. */
const sourceFlags = 'm';

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

/**
 * Every required pattern matches the learner's code and no forbidden one does. `detail` completes
 * "your code …"; a visible check names the forbidden pattern and where it matched, a hidden one never.
 */
export function checkSource(
  source: string,
  require: string[],
  forbid: string[],
  hidden = false,
): TextVerdict {
  let missing = 0;
  for (const p of require) {
    const r = runRegex(p, sourceFlags, source);
    if (!r.ok)
      return { passed: false, detail: `could not be checked: ${regexFailureText[r.why]}`, stopped: true };
    if (!r.match) missing++;
  }
  for (const p of forbid) {
    const r = runRegex(p, sourceFlags, source);
    if (!r.ok)
      return { passed: false, detail: `could not be checked: ${regexFailureText[r.why]}`, stopped: true };
    if (!r.match) continue;
    const where = `${safeText(r.match.text.split('\n')[0] ?? '', 60)} on line ${lineAt(source, r.match.index)}`;
    return {
      passed: false,
      detail: hidden
        ? 'uses a construct your teacher asked you not to use'
        : `uses a construct your teacher asked you not to use: ${where} (pattern ${safeText(p, 100)})`,
    };
  }
  if (missing === 0) return { passed: true, detail: 'has the expected form' };
  return {
    passed: false,
    detail: hidden
      ? 'lacks something your teacher expects'
      : `lacks ${missing} of the ${require.length} constructs this check requires`,
  };
}
