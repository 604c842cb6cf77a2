import { quote } from './value-render.ts';
import { shapeOf } from './value-shape.ts';

export const maxDepth = 50;
export const maxNodes = 100_000;

/** Something about an observation that fails its check whatever the expected value. */
export type ScanProblem =
  | { problem: 'deep' }
  | { problem: 'big' }
  | { problem: 'opaque'; path: string; type: string }
  | { problem: 'truncated'; path: string }
  | { problem: 'odd'; path: string };

interface Entry {
  value: unknown;
  depth: number;
  parent: Entry | undefined;
  key: string;
}

const pathOf = (e: Entry) => {
  const keys: string[] = [];
  for (let at: Entry | undefined = e; at; at = at.parent) keys.push(at.key);
  return keys.reverse().join('');
};

function children(value: unknown): Array<[string, unknown]> {
  const s = shapeOf(value);
  if (s.kind === 'list' || s.kind === 'set' || s.kind === 'pairs')
    return s.items.map((x, i) => [`[${i}]`, x]);
  if (s.kind === 'dict') return Object.keys(s.value).map((k) => [`[${quote(k, 40)}]`, s.value[k]]);
  if (s.kind === 'frame' || s.kind === 'series')
    return ['columns', 'index', 'data']
      .filter((f) => Object.hasOwn(s.value, f))
      .map((f) => [`.${f}`, s.value[f]]);
  return [];
}

const size = (value: unknown) => {
  const s = shapeOf(value);
  if (s.kind === 'list' || s.kind === 'set' || s.kind === 'pairs') return s.items.length;
  if (s.kind === 'dict') return Object.keys(s.value).length;
  return s.kind === 'frame' || s.kind === 'series' ? 3 : 0;
};

/**
 * Walks an observation without recursion, so a value nested 10,000 deep or holding millions of items
 * is turned down in bounded time and stack, before any comparison.
 */
export function scanObserved(value: unknown): ScanProblem | undefined {
  const stack: Entry[] = [{ value, depth: 0, parent: undefined, key: '' }];
  let seen = 1;
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const s = shapeOf(entry.value);
    if (s.kind === 'opaque') return { problem: 'opaque', path: pathOf(entry), type: s.type };
    if (s.kind === 'truncated') return { problem: 'truncated', path: pathOf(entry) };
    if (s.kind === 'odd') return { problem: 'odd', path: pathOf(entry) };
    seen += size(entry.value);
    if (seen > maxNodes) return { problem: 'big' };
    const next = children(entry.value);
    if (next.length > 0 && entry.depth >= maxDepth) return { problem: 'deep' };
    for (let i = next.length - 1; i >= 0; i--) {
      const [key, child] = next[i]!;
      stack.push({ value: child, depth: entry.depth + 1, parent: entry, key });
    }
  }
  return undefined;
}
