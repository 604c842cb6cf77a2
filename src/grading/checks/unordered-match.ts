import { isClose, type Closeness } from './number-close.ts';
import { shapeOf } from './value-shape.ts';

/** How an unordered comparison failed: `item` is an observed index that has no partner, when known. */
export type Unmatched = { item: number | undefined };

/** Thrown when matching would take more comparisons than allowed; caught by the caller. */
export class TooMuchWork extends Error {}

type Bucket = 'exact' | 'number' | 'other';

const keyOf = (v: unknown): [Bucket, string] => {
  const s = shapeOf(v);
  if (s.kind === 'number') return ['number', ''];
  if (s.kind === 'none') return ['exact', 'n'];
  if (s.kind === 'bool' || s.kind === 'string' || s.kind === 'bytes')
    return ['exact', `${s.kind}:${s.value}`];
  return ['other', ''];
};

const numberOf = (v: unknown) => {
  const s = shapeOf(v);
  return s.kind === 'number' ? s.value : NaN;
};

/** Scalars compared exactly match by count: any observed one left over has no partner. */
function matchExact(seen: [number, string][], expected: string[]): Unmatched | undefined {
  const left = new Map<string, number>();
  for (const k of expected) left.set(k, (left.get(k) ?? 0) + 1);
  for (const [i, k] of seen) {
    const n = left.get(k) ?? 0;
    if (n === 0) return { item: i };
    left.set(k, n - 1);
  }
  return undefined;
}

/**
 * With rtol < 1 each expected number's interval [e − t(e), e + t(e)] grows in both ends with e, so if any
 * pairing works, pairing both sides sorted works (an exchange argument).
 */
function matchNumbers(seen: number[], expected: number[], tol: Closeness, equalNan: boolean): boolean {
  const count = (xs: number[], f: (x: number) => boolean) => xs.filter(f).length;
  const special = [
    (x: number) => Number.isNaN(x),
    (x: number) => x === Infinity,
    (x: number) => x === -Infinity,
  ];
  if (special.some((f) => count(seen, f) !== count(expected, f))) return false;
  if (!equalNan && count(seen, Number.isNaN) > 0) return false;
  const finite = (xs: number[]) => xs.filter(Number.isFinite).sort((a, b) => a - b);
  const a = finite(seen);
  const e = finite(expected);
  return a.every((x, i) => isClose(x, e[i]!, tol, equalNan));
}

/** Kuhn's augmenting paths; each search starts at its own position so same-order lists cost n comparisons. */
function matchAny(n: number, same: (i: number, j: number) => boolean): boolean {
  const owner = new Int32Array(n).fill(-1);
  const memo = new Map<number, boolean>();
  const eq = (i: number, j: number) => {
    const key = i * n + j;
    let r = memo.get(key);
    if (r === undefined) memo.set(key, (r = same(i, j)));
    return r;
  };
  let visited = new Uint8Array(n);
  const augment = (j: number): boolean => {
    for (let k = 0; k < n; k++) {
      const i = (j + k) % n;
      if (visited[i] || !eq(i, j)) continue;
      visited[i] = 1;
      if (owner[i]! < 0 || augment(owner[i]!)) return ((owner[i] = j), true);
    }
    return false;
  };
  for (let j = 0; j < n; j++) {
    visited = new Uint8Array(n);
    if (!augment(j)) return false;
  }
  return true;
}

/** Identity as a string for items built of plain JSON (no tags, no NaN); undefined for any other item. */
function exactKey(v: unknown): string | undefined {
  let plain = true;
  const key = JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'string') return `s${x}`;
    if (typeof x === 'number') return Number.isFinite(x) ? `n${x}` : (plain = false);
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
    const keys = Object.keys(x).sort();
    if (keys.some((k) => k.startsWith('$'))) plain = false;
    return Object.fromEntries(keys.map((k) => [k, (x as Record<string, unknown>)[k]]));
  });
  return plain ? key : undefined;
}

/** Identical multisets match whatever the tolerance: a quick yes before any pairwise search. */
function sameItems(seen: unknown[], expected: unknown[]): boolean {
  const left = new Map<string, number>();
  for (const x of expected) {
    const k = exactKey(x);
    if (k === undefined) return false;
    left.set(k, (left.get(k) ?? 0) + 1);
  }
  return seen.every((x) => {
    const k = exactKey(x);
    const n = k === undefined ? 0 : (left.get(k) ?? 0);
    return n > 0 && left.set(k!, n - 1) !== undefined;
  });
}

/**
 * Whether `seen` can be paired one to one with `expected` (same length) so that every pair is equal.
 * Scalars go by count or sorted order; other items by bipartite matching with `same`.
 */
export function matchUnordered(
  seen: unknown[],
  expected: unknown[],
  same: (seen: unknown, expected: unknown) => boolean,
  tol: Closeness,
  equalNan: boolean,
): Unmatched | undefined {
  try {
    if (sameItems(seen, expected)) return undefined;
  } catch {
    // An expected value too deep to stringify: the pairwise search below still decides.
  }
  const split = (xs: unknown[]) => {
    const by = { exact: [] as [number, string][], number: [] as number[], other: [] as number[] };
    xs.forEach((x, i) => {
      const [bucket, key] = keyOf(x);
      if (bucket === 'exact') by.exact.push([i, key]);
      else by[bucket].push(i);
    });
    return by;
  };
  const s = split(seen);
  const e = split(expected);
  const exact = matchExact(
    s.exact,
    e.exact.map(([, k]) => k),
  );
  if (exact) return exact;
  if (s.exact.length !== e.exact.length || s.number.length !== e.number.length) return { item: undefined };
  const nums = (idx: number[], xs: unknown[]) => idx.map((i) => numberOf(xs[i]));
  if (tol.rtol < 1 && !matchNumbers(nums(s.number, seen), nums(e.number, expected), tol, equalNan))
    return { item: undefined };
  const pairs: Array<[number[], number[]]> = [[s.other, e.other]];
  if (tol.rtol >= 1) pairs.push([s.number, e.number]);
  for (const [si, ei] of pairs) {
    if (si.length !== ei.length) return { item: undefined };
    try {
      if (!matchAny(si.length, (i, j) => same(seen[si[i]!], expected[ei[j]!]))) return { item: undefined };
    } catch (err) {
      if (err instanceof RangeError) throw new TooMuchWork();
      throw err;
    }
  }
  return undefined;
}
