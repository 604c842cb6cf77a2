import { createHash } from 'node:crypto';
import { diffArrays } from 'diff';
import type { Block } from '../documents/document.ts';
import { matchInGap } from './gap-matching.ts';
import { profileSimilarity, similarityThreshold, tokenProfile } from './similarity.ts';

/** One row of the alignment: a block on both sides, on one side only, or the same block moved. */
export interface Pair {
  left?: number;
  right?: number;
  moved?: true;
}

// Blocks are compared by these strings (cheaper than hashing them); long outputs by a hash.
const contentKey = (b: Block) => `${b.kind}\0${b.source}`;

/** Outputs as nbdime's strict level compares them: execution counts left out. */
function outputsKey(b: Block): string {
  if (!b.outputs.length) return '';
  const json = JSON.stringify(b.outputs.map((o) => (o.type === 'data' ? { type: o.type, data: o.data } : o)));
  return json.length > 1_024 ? createHash('sha1').update(json).digest('base64') : json;
}

/** `f` over the indices of `blocks`, each computed once and only when asked for. */
function lazily<T>(blocks: Block[], f: (b: Block) => T): (i: number) => T {
  const cache: Array<T | undefined> = new Array<T | undefined>(blocks.length);
  return (i) => (cache[i] ??= f(blocks[i]!));
}

/**
 * Equal items of two sequences on their LCS (Myers, O(N·D)), as index pairs into `l` and `r`, the way
 * patience diff does it: only items found exactly once on each side anchor (a repeated cell, `x = 3`
 * twice, would otherwise pair with whichever copy comes first), then the runs between anchors again.
 */
function lcsBy(
  l: number[],
  r: number[],
  value: (side: 'l' | 'r', i: number) => string,
  timeoutMs: number,
  depth = 0,
): Array<[number, number]> {
  if (!l.length || !r.length || depth > 8) return [];
  const lv = l.map((i) => value('l', i));
  const rv = r.map((j) => value('r', j));
  const count = (vs: string[]) =>
    vs.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());
  const [inL, inR] = [count(lv), count(rv)];
  const once = (v: string) => inL.get(v) === 1 && inR.get(v) === 1;
  const ls = l.filter((_, k) => once(lv[k]!));
  const rs = r.filter((_, k) => once(rv[k]!));
  if (!ls.length || !rs.length) return [];
  const changes = diffArrays(lv.filter(once), rv.filter(once), { timeout: timeoutMs });
  if (!changes) return [];
  const anchors: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  for (const c of changes) {
    const n = c.count ?? c.value.length;
    if (c.added) j += n;
    else if (c.removed) i += n;
    else for (let k = 0; k < n; k++) anchors.push([ls[i++]!, rs[j++]!]);
  }
  if (!anchors.length) return [];
  const pairs = [...anchors];
  eachGap(l, r, anchors, (gl, gr) => pairs.push(...lcsBy(gl, gr, value, timeoutMs, depth + 1)));
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
 * Aligns two versions' blocks in passes, each only inside the gaps the previous one left (nbdime's
 * multilevel snakes): shared keys (cell ids, chunk labels) on their LCS; then identical source and
 * outputs; then identical source; then similar blocks of the same kind, each with its most similar
 * partner, exactly for small gaps and in sliding windows for large ones, so the cost stays
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
  const contentL = lazily(left, contentKey);
  const contentR = lazily(right, contentKey);
  // Neither outputsKey nor kind holds a NUL, so these strings are equal only for equal parts.
  const strictL = lazily(left, (b) => `${outputsKey(b)}\0${contentKey(b)}`);
  const strictR = lazily(right, (b) => `${outputsKey(b)}\0${contentKey(b)}`);
  const profileL = lazily(left, (b) => tokenProfile(b.source));
  const profileR = lazily(right, (b) => tokenProfile(b.source));

  // When the versions share ids, ids pair with ids and id-less blocks with id-less ones; when they
  // share none, the ids were regenerated and say nothing.
  const idsCarriedOver = keyedL.length > 0;
  const tier = (b: Block) => (idsCarriedOver ? (b.key ? 'k' : '-') : '');
  const tiered = (l: (i: number) => string, r: (i: number) => string) => (side: 'l' | 'r', i: number) =>
    side === 'l' ? tier(left[i]!) + l(i) : tier(right[i]!) + r(i);
  const weight = (i: number, j: number) => {
    const a = left[i]!;
    const b = right[j]!;
    // Two blocks with different ids are different blocks, however alike their text.
    if (a.kind !== b.kind || (idsCarriedOver && a.key && b.key)) return 0;
    const s = a.source === b.source ? 1 : profileSimilarity(profileL(i), profileR(j));
    if (s < similarityThreshold) return 0;
    return tier(a) === tier(b) ? s : s / 100; // an id-less block with one that has an id: a last resort
  };

  for (const m of byKey) matched.push(m);
  eachGap(freeL, freeR, byKey, (gl, gr) => {
    const strict = lcsBy(gl, gr, tiered(strictL, strictR), timeoutMs);
    for (const m of strict) matched.push(m);
    eachGap(gl, gr, strict, (hl, hr) => {
      const same = lcsBy(hl, hr, tiered(contentL, contentR), timeoutMs);
      for (const m of same) matched.push(m);
      eachGap(hl, hr, same, (sl, sr) => {
        for (const m of matchInGap(sl, sr, weight)) matched.push(m);
      });
    });
  });

  // Identical blocks left unmatched on both sides were moved, not deleted and re-added: those with
  // the same outputs first.
  const matchedL = new Set([...takenL, ...matched.map(([i]) => i)]);
  const matchedR = new Set([...takenR, ...matched.map(([, j]) => j)]);
  for (const [hashL, hashR] of [
    [strictL, strictR],
    [contentL, contentR],
  ]) {
    const unmatchedR = new Map<string, number[]>();
    right.forEach((_, j) => {
      if (!matchedR.has(j)) unmatchedR.set(hashR!(j), [...(unmatchedR.get(hashR!(j)) ?? []), j]);
    });
    left.forEach((b, i) => {
      if (matchedL.has(i) || !b.source.trim()) return;
      const j = unmatchedR.get(hashL!(i))?.shift();
      if (j === undefined) return;
      moved.push([i, j]);
      matchedL.add(i);
      matchedR.add(j);
    });
  }
  return order(left.length, right.length, matched, moved);
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
