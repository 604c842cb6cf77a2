/**
 * Pairs the blocks of one gap (between anchored blocks) by similarity: the common subsequence of the
 * largest total weight, so that a block goes to its most similar partner, not to the first one above
 * the threshold. `weight` is 0 for a pair that may not be matched.
 */
export type Weight = (i: number, j: number) => number;

// Gaps up to this many candidate pairs are solved exactly; larger ones in overlapping windows.
const maxGridCells = 4_096;
const window = 24;

/** Heaviest common subsequence of l[p0..p1) and r[q0..q1), as position pairs: O(m·n). */
function heaviestCommon(
  m: number,
  n: number,
  weight: (pi: number, qj: number) => number,
): Array<[number, number]> {
  const w = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[i * n + j] = weight(i, j);
  // best[i][j]: the heaviest matching of the rows from i and the columns from j (sentinel row/column).
  const best = new Float64Array((m + 1) * (n + 1));
  const at = (i: number, j: number) => best[i * (n + 1) + j]!;
  for (let i = m - 1; i >= 0; i--)
    for (let j = n - 1; j >= 0; j--) {
      const wij = w[i * n + j]!;
      best[i * (n + 1) + j] = Math.max(at(i + 1, j), at(i, j + 1), wij > 0 ? wij + at(i + 1, j + 1) : 0);
    }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < m && j < n) {
    const wij = w[i * n + j]!;
    if (wij > 0 && at(i, j) === wij + at(i + 1, j + 1)) pairs.push([i++, j++]);
    else if (at(i + 1, j) >= at(i, j + 1)) i++;
    else j++;
  }
  return pairs;
}

/**
 * Large gaps: solve the next `window` blocks of each side exactly, keep the pairs before the first one
 * in the second half of both (those may want blocks past the window), and slide on past the last kept.
 * A block is weighed against about 2·window others, so the cost stays linear in the gap.
 */
function inWindows(l: number[], r: number[], weight: Weight): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  const half = window / 2;
  let p = 0;
  let q = 0;
  while (p < l.length && q < r.length) {
    const m = Math.min(window, l.length - p);
    const n = Math.min(window, r.length - q);
    const found = heaviestCommon(m, n, (i, j) => weight(l[p + i]!, r[q + j]!));
    const last = p + m === l.length && q + n === r.length;
    const kept = found.filter(([i, j], k) => last || k === 0 || i < half || j < half);
    for (const [i, j] of kept) pairs.push([l[p + i]!, r[q + j]!]);
    if (last) break;
    const end = kept.at(-1);
    p = end ? p + end[0] + 1 : p + half;
    q = end ? q + end[1] + 1 : q + half;
  }
  return pairs;
}

/** The pairs of a gap: exact for small gaps, in sliding windows for large ones. */
export function matchInGap(l: number[], r: number[], weight: Weight): Array<[number, number]> {
  if (!l.length || !r.length) return [];
  if (l.length * r.length > maxGridCells) return inWindows(l, r, weight);
  return heaviestCommon(l.length, r.length, (i, j) => weight(l[i]!, r[j]!)).map(([i, j]) => [l[i]!, r[j]!]);
}
