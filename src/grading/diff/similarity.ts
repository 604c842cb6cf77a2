/** How alike two texts are, as nbdime's "approximate" level measures it, in time linear in the text. */
export const similarityThreshold = 0.3;
const similarityPrefix = 10_000;

/** A text's tokens (words, numbers, single punctuation marks) with their counts. */
export interface TokenProfile {
  counts: Map<string, number>;
  total: number;
  short: boolean;
}

export function tokenProfile(s: string): TokenProfile {
  const counts = new Map<string, number>();
  const tokens = s.slice(0, similarityPrefix).match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return { counts, total: tokens.length, short: s.trim().length <= 10 };
}

/** Dice coefficient over token profiles: 1 for the same tokens, 0 for nothing in common. */
export function profileSimilarity(a: TokenProfile, b: TokenProfile): number {
  if (a.short && b.short) return 0.5; // short cells: as nbdime, call them similar
  const total = a.total + b.total;
  if (!total) return 1;
  // Fast reject, like difflib's real_quick_ratio: the common tokens are at most the smaller count.
  if ((2 * Math.min(a.total, b.total)) / total < similarityThreshold) return 0;
  const [small, large] = a.counts.size <= b.counts.size ? [a, b] : [b, a];
  let common = 0;
  for (const [t, n] of small.counts) common += Math.min(n, large.counts.get(t) ?? 0);
  return (2 * common) / total;
}

/** Dice coefficient over tokens: 1 for the same text, 0 for nothing in common; linear in the text. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  return profileSimilarity(tokenProfile(a), tokenProfile(b));
}
