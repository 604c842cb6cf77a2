import type { Output } from '../documents/document.ts';

/**
 * What changes from one run of the same code to the next: an object's address in `repr`, `%time` and
 * `%timeit` figures, progress bars, the temporary file a kernel names a cell after in tracebacks.
 */
const wholeLines: RegExp[] = [
  /^CPU times: /,
  /^Wall time: /,
  / per loop \(mean ± std\. dev\. of [\d,.]+ runs?, [\d,.]+ loops? each\)$/,
  /^[\d,]+ loops?, best of [\d,]+: .* per loop$/,
  /^The slowest run took [\d.]+ times longer than the fastest\./,
  // tqdm: `| 3/10 [00:01<00:02, 2.9it/s]`; Keras: `5/5 [======] - 0s 3ms/step`.
  /\|\s*[\d.]+[kMG]?\/[\d.?]+[kMG]?\s*\[[\d:]+<[\d:?]+/,
  /^\s*\d+\/\d+ \[[=>.]*\] - /,
];
const inLine: Array<[RegExp, string]> = [
  [/ at 0x[0-9a-fA-F]+/g, ' at 0x…'],
  [/ipykernel_\d+\/\d+\.py/g, 'ipykernel_…/….py'],
  [/Cell In\s*\[\d*\]/g, 'Cell In […]'],
  // A widget (tqdm.notebook's bar) is a new model on each run.
  [/"model_id": "[0-9a-f]{32}"/g, '"model_id": "…"'],
];

const volatileLike = /0x|time|loop|\/|ipykernel|Cell In|model_id/;

/** A line of `\r`-separated redraws (a progress bar) is volatile as a whole: how many redraws a run prints depends on its speed. */
function maskLine(line: string): string {
  if (line.split('\r').some((part) => wholeLines.some((re) => re.test(part)))) return '…';
  let out = line;
  for (const [re, by] of inLine) out = out.replace(re, by);
  return out;
}

/** `text` with its volatile parts replaced by fixed placeholders. */
export function maskVolatile(text: string): string {
  return volatileLike.test(text) ? text.split('\n').map(maskLine).join('\n') : text;
}

const textual = (mime: string) =>
  mime.startsWith('text/') ||
  mime.endsWith('json') ||
  mime.endsWith('+xml') ||
  mime === 'application/javascript';

/** `o` with every text it carries masked; binary data (images) is left as it is. */
export function maskOutput(o: Output): Output {
  if (o.type === 'stream') return { ...o, text: maskVolatile(o.text) };
  if (o.type === 'error')
    return { ...o, evalue: maskVolatile(o.evalue), traceback: maskVolatile(o.traceback) };
  return {
    type: 'data',
    data: Object.fromEntries(Object.entries(o.data).map(([m, v]) => [m, textual(m) ? maskVolatile(v) : v])),
  };
}
