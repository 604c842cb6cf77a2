import { isAppError } from '../errors.ts';
import {
  diffFiles,
  formatOf,
  maxDiffBytes,
  type Document,
  type DocumentDiff,
  type Files,
} from '../grading/index.ts';

export type Against = 'template' | 'expected';

export type FileDiff =
  | { ok: true; diff: DocumentDiff; left: Document | undefined; right: Document | undefined }
  | { ok: false; problem: string };

const emptyNotebook = Buffer.from('{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}');
const empty = (file: string) => (formatOf(file) === 'notebook' ? emptyNotebook : Buffer.alloc(0));
const size = (n: number) =>
  n < 1024 ? `${n} B` : n < 2 ** 20 ? `${Math.ceil(n / 1024)} KB` : `${Math.ceil(n / 2 ** 20)} MB`;

/**
 * One file of the submission against the template's or the expected version. A side without the
 * file is an empty document of its format; a side over `maxBytes` is refused, never read.
 */
export function diffOne(
  file: string,
  sides: { left: Files; right: Files },
  maxBytes = maxDiffBytes,
): FileDiff {
  const left = sides.left.get(file) ?? empty(file);
  const right = sides.right.get(file) ?? empty(file);
  const big = Math.max(left.length, right.length);
  if (big > maxBytes)
    return {
      ok: false,
      problem: `${file} takes ${size(big)}, over the ${size(maxBytes)} this page shows.`,
    };
  try {
    const d = diffFiles({ name: file, bytes: left }, { name: file, bytes: right });
    return { ok: true, diff: d.diff, left: d.left, right: d.right };
  } catch (err) {
    if (isAppError(err)) return { ok: false, problem: err.message };
    throw err;
  }
}
