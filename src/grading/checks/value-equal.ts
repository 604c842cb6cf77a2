import { isClose, type Closeness } from './number-close.ts';
import { matchUnordered, TooMuchWork } from './unordered-match.ts';
import { quote } from './value-render.ts';
import { shapeOf, typeName, type Shape } from './value-shape.ts';

/** Where and how an observation differs; `path` is in the observed value (`[2]['a']`, `.data[0]`). */
export type Mismatch =
  | { why: 'type'; path: string; seen: string; expected: string }
  | { why: 'length'; path: string; seen: number; expected: number }
  | { why: 'keys'; path: string; extra: string[]; missing: number }
  | { why: 'value'; path: string }
  | { why: 'unordered'; path: string; item: number | undefined }
  | { why: 'pairs'; path: string }
  | { why: 'work' };

export interface EqualOptions extends Closeness {
  equalNan: boolean;
  /** Compare the top-level list (or a top-level DataFrame's or Series' data) in any order. */
  unordered: boolean;
}

/** Comparisons allowed for one check: unordered matching of composite items is quadratic at worst. */
export const maxWork = 2_000_000;

interface Ctx extends EqualOptions {
  work: number;
}

const unreadable = new Set<Shape['kind']>(['opaque', 'truncated', 'odd']);

function diffList(
  seen: unknown[],
  expected: unknown[],
  path: string,
  c: Ctx,
  any: boolean,
): Mismatch | undefined {
  if (seen.length !== expected.length)
    return { why: 'length', path, seen: seen.length, expected: expected.length };
  if (any) {
    const same = (o: unknown, e: unknown) => diff(o, e, '', c, false) === undefined;
    const r = matchUnordered(seen, expected, same, c, c.equalNan);
    return r && { why: 'unordered', path, item: r.item };
  }
  for (let i = 0; i < seen.length; i++) {
    const m = diff(seen[i], expected[i], `${path}[${i}]`, c, false);
    if (m) return m;
  }
  return undefined;
}

function diffDict(seen: Record<string, unknown>, expected: Record<string, unknown>, path: string, c: Ctx) {
  const keys = Object.keys(seen);
  const extra = keys.filter((k) => !Object.hasOwn(expected, k));
  const missing = Object.keys(expected).filter((k) => !Object.hasOwn(seen, k)).length;
  if (extra.length > 0 || missing > 0) return { why: 'keys' as const, path, extra, missing };
  for (const k of keys) {
    const m = diff(seen[k], expected[k], `${path}[${quote(k, 40)}]`, c, false);
    if (m) return m;
  }
  return undefined;
}

/** A DataFrame or Series against the fields the teacher wrote; `unordered` reaches only its data. */
function diffFields(seen: Record<string, unknown>, expected: Record<string, unknown>, path: string, c: Ctx) {
  for (const f of ['columns', 'index', 'data']) {
    if (!Object.hasOwn(expected, f)) continue;
    const m = diff(seen[f], expected[f], `${path}.${f}`, c, c.unordered && f === 'data' && path === '');
    if (m) return m;
  }
  return undefined;
}

function diff(seen: unknown, expected: unknown, path: string, c: Ctx, any: boolean): Mismatch | undefined {
  if (--c.work < 0) throw new TooMuchWork();
  const o = shapeOf(seen);
  const e = shapeOf(expected);
  if (o.kind === 'set' && (e.kind === 'list' || e.kind === 'set'))
    return diffList(o.items, e.items, path, c, true);
  if (o.kind === 'pairs' && e.kind === 'dict') return { why: 'pairs', path };
  if (o.kind === 'pairs' && e.kind === 'pairs') return diffList(o.items, e.items, path, c, true);
  if ((o.kind === 'frame' || o.kind === 'series') && e.kind === 'list')
    return diff(o.value['data'], expected, `${path}.data`, c, c.unordered && path === '');
  if ((o.kind === 'frame' && e.kind === 'frame') || (o.kind === 'series' && e.kind === 'series'))
    return diffFields(o.value, e.value, path, c);
  if (unreadable.has(e.kind) || unreadable.has(o.kind)) return { why: 'value', path };
  if (o.kind !== e.kind) return { why: 'type', path, seen: typeName(o), expected: typeName(e) };
  if (o.kind === 'list' && e.kind === 'list') return diffList(o.items, e.items, path, c, any);
  if (o.kind === 'dict' && e.kind === 'dict') return diffDict(o.value, e.value, path, c);
  if (o.kind === 'number' && e.kind === 'number')
    return isClose(o.value, e.value, c, c.equalNan) ? undefined : { why: 'value', path };
  if (o.kind === 'none') return undefined;
  const same = 'value' in o && 'value' in e && o.value === e.value;
  return same ? undefined : { why: 'value', path };
}

/**
 * The first difference between an observation and an expected value, or undefined when they are equal.
 * Run `scanObserved` first: this recurses as deep as the observation goes.
 */
export function findMismatch(seen: unknown, expected: unknown, options: EqualOptions): Mismatch | undefined {
  const c: Ctx = { ...options, work: maxWork };
  try {
    return diff(seen, expected, '', c, options.unordered);
  } catch (err) {
    if (err instanceof TooMuchWork) return { why: 'work' };
    throw err;
  }
}
