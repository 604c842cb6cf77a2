import { similarity, similarityThreshold } from './similarity.ts';

/** Past this many lines on a side, a replaced run is not paired line by line (shown whole). */
export const maxPairedLines = 50;

/**
 * Which removed line became which added line in a replaced run of unequal lengths: the in-order
 * pairing with the greatest total similarity (each pair at least nbdime's approximate threshold),
 * by dynamic programming over at most 50 × 50 lines. Unpaired lines are plain removals and additions.
 */
export function pairLines(removed: string[], added: string[]): Array<[number, number]> {
  const m = removed.length;
  const n = added.length;
  if (m === 0 || n === 0 || m > maxPairedLines || n > maxPairedLines) return [];
  const sim = removed.map((l) =>
    added.map((r) => {
      const s = similarity(l.trim(), r.trim());
      return s >= similarityThreshold ? s : 0;
    }),
  );
  // best[i][j]: the best total pairing removed[i..] with added[j..].
  const best = Array.from({ length: m + 1 }, () => new Float64Array(n + 1));
  for (let i = m - 1; i >= 0; i--)
    for (let j = n - 1; j >= 0; j--) {
      const s = sim[i]![j]!;
      best[i]![j] = Math.max(best[i + 1]![j]!, best[i]![j + 1]!, s > 0 ? s + best[i + 1]![j + 1]! : 0);
    }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < m && j < n) {
    const s = sim[i]![j]!;
    if (s > 0 && best[i]![j] === s + best[i + 1]![j + 1]!) pairs.push([i++, j++]);
    else if (best[i]![j] === best[i + 1]![j]) i++;
    else j++;
  }
  return pairs;
}
