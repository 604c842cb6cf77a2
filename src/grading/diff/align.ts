import { createHash } from 'node:crypto';
import { diffArrays } from 'diff';
import type { Block } from '../documents/document.ts';

/** One row of the alignment: a block on both sides, on one side only, or the same block moved. */
export interface Pair {
  left?: number;
  right?: number;
  moved?: true;
}

// Gaps up to this many candidate pairs get an exact similarity alignment; larger ones pair in order.
const maxGridCells = 4_096;
const similarityThreshold = 0.3;
const similarityPrefix = 10_000;

const contentHash = (b: Block) => createHash('sha1').update(`${b.kind}\0${b.source}`).digest('base64');

function tokenCounts(s: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of s.slice(0, similarityPrefix).match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [])
    counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Dice coefficient over tokens: 1 for the same text, 0 for nothing in common; linear in the text. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.trim().length <= 10 && b.trim().length <= 10) return 0.5; // short cells: as nbdime, call them similar
  const ta = tokenCounts(a);
  const tb = tokenCounts(b);
  let common = 0;
  let total = 0;
  for (const [t, n] of ta) {
    common += Math.min(n, tb.get(t) ?? 0);
    total += n;
  }
  for (const n of tb.values()) total += n;
  return total ? (2 * common) / total : 1;
}

/** Longest common subsequence of two short ranges under a predicate: O(m·n) only for m·n ≤ maxGridCells. */
function similarityLcs(
  l: number[],
  r: number[],
  similar: (i: number, j: number) => boolean,
): Array<[number, number]> {
  const m = l.length;
  const n = r.length;
  const table = Array.from({ length: m + 1 }, () => new Uint16Array(n + 1));
  for (let i = m - 1; i >= 0; i--)
    for (let j = n - 1; j >= 0; j--)
      table[i]![j] = similar(l[i]!, r[j]!)
        ? table[i + 1]![j + 1]! + 1
        : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < m && j < n) {
    if (similar(l[i]!, r[j]!) && table[i]![j] === table[i + 1]![j + 1]! + 1) pairs.push([l[i++]!, r[j++]!]);
    else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** Equal items of two sequences on their LCS (Myers, O(N·D)), as index pairs into `l` and `r`. */
function lcsBy(l: number[], r: number[], value: (side: 'l' | 'r', i: number) => string, timeoutMs: number) {
  const changes = diffArrays(
    l.map((i) => value('l', i)),
    r.map((j) => value('r', j)),
    { timeout: timeoutMs },
  );
  const pairs: Array<[number, number]> = [];
  if (!changes) return pairs;
  let i = 0;
  let j = 0;
  for (const c of changes) {
    const n = c.count ?? c.value.length;
    if (c.added) j += n;
    else if (c.removed) i += n;
    else for (let k = 0; k < n; k++) pairs.push([l[i++]!, r[j++]!]);
  }
  return pairs;
}

function uniqueKeys(blocks: Block[]): Map<string, number> {
  const seen = new Map<string, number>();
  const repeated = new Set<string>();
  blocks.forEach((b, i) => {
    if (!b.key) return;
    if (seen.has(b.key)) repeated.add(b.key);
    seen.set(b.key, i);
  });
  for (const k of repeated) seen.delete(k);
  return seen;
}

/** Calls `inGap` on the runs of `l` and `r` between consecutive anchor pairs (and before/after them). */
function eachGap(
  l: number[],
  r: number[],
  anchors: Array<[number, number]>,
  inGap: (l: number[], r: number[]) => void,
) {
  let li = 0;
  let ri = 0;
  for (const [a, b] of [...anchors, [Infinity, Infinity] as [number, number]]) {
    const gl: number[] = [];
    const gr: number[] = [];
    while (li < l.length && l[li]! < a) gl.push(l[li++]!);
    while (ri < r.length && r[ri]! < b) gr.push(r[ri++]!);
    if (gl.length || gr.length) inGap(gl, gr);
    if (l[li] === a) li++;
    if (r[ri] === b) ri++;
  }
}

/**
 * Aligns two versions' blocks in three passes, each only inside the gaps the previous one left:
 * shared keys (cell ids, chunk labels) on their LCS; then identical content on its LCS; then similar
 * blocks of the same kind, exactly for small gaps and in order for large ones, so the cost stays
 * near-linear. Keys or contents matched out of order are reported as moved.
 */
export function alignBlocks(left: Block[], right: Block[], timeoutMs = 500): Pair[] {
  const matched: Array<[number, number]> = [];
  const moved: Array<[number, number]> = [];
  // Only a key found once on each side identifies a block (copy-pasted cells share ids).
  const leftKeys = uniqueKeys(left);
  const rightByKey = uniqueKeys(right);
  const keyedL = left.flatMap((b, i) => (b.key && leftKeys.has(b.key) && rightByKey.has(b.key) ? [i] : []));
  const keyedR = keyedL.map((i) => rightByKey.get(left[i]!.key!)!).sort((x, y) => x - y);
  const byKey = lcsBy(
    keyedL,
    keyedR,
    (side, i) => (side === 'l' ? left[i]!.key! : right[i]!.key!),
    timeoutMs,
  );
  const inLcs = new Set(byKey.map(([i]) => i));
  for (const i of keyedL) if (!inLcs.has(i)) moved.push([i, rightByKey.get(left[i]!.key!)!]);
  const takenL = new Set(keyedL);
  const takenR = new Set(keyedR);
  const freeL = left.flatMap((_, i) => (takenL.has(i) ? [] : [i]));
  const freeR = right.flatMap((_, j) => (takenR.has(j) ? [] : [j]));
  const hashL = left.map(contentHash);
  const hashR = right.map(contentHash);

  for (const m of byKey) matched.push(m);
  const idsCarriedOver = keyedL.length > 0;
  eachGap(freeL, freeR, byKey, (gl, gr) => {
    const same = lcsBy(gl, gr, (side, i) => (side === 'l' ? hashL[i]! : hashR[i]!), timeoutMs);
    for (const m of same) matched.push(m);
    eachGap(gl, gr, same, (sl, sr) => {
      // When the versions share ids, two cells with different ids are different cells, however alike
      // their text; when they share none, the ids were regenerated and say nothing.
      const similar = (i: number, j: number) =>
        left[i]!.kind === right[j]!.kind &&
        !(idsCarriedOver && left[i]!.key && right[j]!.key) &&
        similarity(left[i]!.source, right[j]!.source) >= similarityThreshold;
      const pairs =
        sl.length * sr.length <= maxGridCells ? similarityLcs(sl, sr, similar) : inOrder(sl, sr, similar);
      for (const m of pairs) matched.push(m);
    });
  });

  // Identical blocks left unmatched on both sides were moved, not deleted and re-added.
  const matchedL = new Set(matched.map(([i]) => i));
  const matchedR = new Set(matched.map(([, j]) => j));
  const unmatchedR = new Map<string, number[]>();
  right.forEach((_, j) => {
    if (!matchedR.has(j) && !takenR.has(j))
      unmatchedR.set(hashR[j]!, [...(unmatchedR.get(hashR[j]!) ?? []), j]);
  });
  left.forEach((_, i) => {
    if (matchedL.has(i) || takenL.has(i)) return;
    const j = unmatchedR.get(hashL[i]!)?.shift();
    if (j !== undefined && left[i]!.source.trim()) moved.push([i, j]);
  });
  return order(left.length, right.length, matched, moved);
}

/** Large gaps: walk both sides once, pairing the next similar blocks (VS Code pairs positionally). */
function inOrder(
  l: number[],
  r: number[],
  similar: (i: number, j: number) => boolean,
): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let j = 0;
  for (const i of l) {
    const window = r.slice(j, j + 8);
    const k = window.findIndex((rj) => similar(i, rj));
    if (k >= 0) {
      pairs.push([i, window[k]!]);
      j += k + 1;
    }
  }
  return pairs;
}

/** Reading order: matched pairs in sequence, removed blocks where they were, moved ones where they went. */
function order(
  nl: number,
  nr: number,
  matched: Array<[number, number]>,
  moved: Array<[number, number]>,
): Pair[] {
  const sorted = [...matched].sort((a, b) => a[0] - b[0]);
  const movedL = new Set(moved.map(([i]) => i));
  const movedR = new Map(moved.map(([i, j]) => [j, i]));
  const out: Pair[] = [];
  let i = 0;
  let j = 0;
  const flush = (toI: number, toJ: number) => {
    for (; i < toI; i++) if (!movedL.has(i)) out.push({ left: i });
    for (; j < toJ; j++)
      out.push(movedR.has(j) ? { left: movedR.get(j)!, right: j, moved: true } : { right: j });
  };
  for (const [a, b] of sorted) {
    flush(a, b);
    out.push({ left: a, right: b });
    i = a + 1;
    j = b + 1;
  }
  flush(nl, nr);
  return out;
}
