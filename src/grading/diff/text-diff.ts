import { diffArrays, diffWordsWithSpace } from 'diff';
import type { LineOp, TextDiff, WordPart } from './diff-model.ts';
import { maxPairedLines, pairLines } from './line-pairing.ts';

/** Beyond this, texts are compared whole: a line diff of megabytes helps no reader. */
const maxChars = 2_000_000;
const maxWordDiffChars = 2_000;

export const splitLines = (s: string) => (s ? s.split(/(?<=\n)/) : []);

/**
 * Pairs of equal lines on the longest common subsequence. Lines found on one side only cannot be on
 * it, so they are set aside first (git's record cleanup): two unrelated files then cost nothing.
 */
function commonLines(a: string[], b: string[], timeoutMs: number): Array<[number, number]> | undefined {
  const inB = new Set(b);
  const inA = new Set(a);
  const keptA = a.flatMap((line, i) => (inB.has(line) ? [i] : []));
  const keptB = b.flatMap((line, j) => (inA.has(line) ? [j] : []));
  if (!keptA.length || !keptB.length) return [];
  const changes = diffArrays(
    keptA.map((i) => a[i]!),
    keptB.map((j) => b[j]!),
    { timeout: timeoutMs },
  );
  if (!changes) return undefined;
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  for (const c of changes) {
    const n = c.count ?? c.value.length;
    if (c.added) j += n;
    else if (c.removed) i += n;
    else for (let k = 0; k < n; k++) pairs.push([keptA[i++]!, keptB[j++]!]);
  }
  return pairs;
}

function words(left: string, right: string, timeoutMs: number): WordPart[] | undefined {
  if (left.length + right.length > maxWordDiffChars) return undefined;
  const parts = diffWordsWithSpace(left, right, { timeout: timeoutMs });
  return parts?.map((p) => ({ op: p.added ? 'add' : p.removed ? 'remove' : 'equal', text: p.value }));
}

const lacksFinalNewline = (s: string) => s !== '' && !s.endsWith('\n');

/**
 * Line diff of two texts with word diffs inside replaced lines, always within `timeoutMs`. A final
 * newline present on one side only does not make the last line differ (see `noFinalNewline`).
 */
export function diffText(left: string, right: string, timeoutMs = 250): TextDiff {
  const missing =
    left && right && lacksFinalNewline(left) !== lacksFinalNewline(right)
      ? lacksFinalNewline(left)
        ? 'left'
        : 'right'
      : undefined;
  if (!missing) return diffLines(left, right, timeoutMs);
  const d = diffLines(
    missing === 'left' ? `${left}\n` : left,
    missing === 'right' ? `${right}\n` : right,
    timeoutMs,
  );
  return { ...d, noFinalNewline: missing };
}

function diffLines(left: string, right: string, timeoutMs: number): TextDiff {
  const a = splitLines(left);
  const b = splitLines(right);
  const tooBig = left.length + right.length > maxChars;
  const pairs =
    left === right
      ? a.map((_, i) => [i, i] as [number, number])
      : tooBig
        ? undefined
        : commonLines(a, b, timeoutMs);
  const ops: LineOp[] = [];
  const push = (op: LineOp) => {
    const last = ops.at(-1);
    if (last?.op === 'equal' && op.op === 'equal') for (const l of op.lines) last.lines.push(l);
    else ops.push(op);
  };
  let i = 0;
  let j = 0;
  const wordTimeout = Math.max(10, timeoutMs / 10);
  /** Lines replaced by others, with word diffs where it can tell which line became which. */
  const replacedAsIs = (removed: string[], added: string[]) => {
    const paired =
      removed.length === added.length && removed.length <= maxPairedLines
        ? removed.map((l, k) => words(l, added[k]!, wordTimeout))
        : undefined;
    push({
      op: 'replace',
      left: removed,
      right: added,
      ...(paired?.every(Boolean) ? { words: paired as WordPart[][] } : {}),
    });
  };
  const replaced = (removed: string[], added: string[]) => {
    const pairs = removed.length === added.length ? [] : pairLines(removed, added);
    if (pairs.length === 0) return replacedAsIs(removed, added);
    let r = 0;
    let d = 0;
    for (const [pr, pa] of [...pairs, [removed.length, added.length] as [number, number]]) {
      if (r < pr) push({ op: 'remove', lines: removed.slice(r, pr) });
      if (d < pa) push({ op: 'add', lines: added.slice(d, pa) });
      if (pr < removed.length) replacedAsIs([removed[pr]!], [added[pa]!]);
      r = pr + 1;
      d = pa + 1;
    }
  };
  const gap = (toI: number, toJ: number) => {
    const removed = a.slice(i, toI);
    const added = b.slice(j, toJ);
    if (removed.length && added.length) replaced(removed, added);
    else if (removed.length) push({ op: 'remove', lines: removed });
    else if (added.length) push({ op: 'add', lines: added });
    i = toI;
    j = toJ;
  };
  for (const [pi, pj] of pairs ?? []) {
    gap(pi, pj);
    push({ op: 'equal', lines: [a[pi]!] });
    i = pi + 1;
    j = pj + 1;
  }
  gap(a.length, b.length);
  const common = pairs?.length ?? 0;
  return {
    ops,
    added: b.length - common,
    removed: a.length - common,
    ...(pairs === undefined ? { coarse: true as const } : {}),
  };
}
