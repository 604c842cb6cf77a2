import { shapeOf } from './value-shape.ts';

const maxDepth = 6;

// Control, line-separator and bidi characters are escaped so learner text cannot reshape a terminal or page.
const unsafe = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const escape = (c: string) =>
  c === '\n'
    ? '\\n'
    : c === '\t'
      ? '\\t'
      : c === '\r'
        ? '\\r'
        : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Learner text made safe to show, cut at `max` characters. */
export function safeText(s: string, max: number): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  return cut.replace(unsafe, escape) + (cut.length < s.length ? '…' : '');
}

/** A string as Python would print its repr. */
export function quote(s: string, max: number): string {
  const cut = s.length > max ? s.slice(0, max) : s;
  const body = cut.replace(/[\\']/g, (c) => `\\${c}`).replace(unsafe, escape);
  return `'${body}${cut.length < s.length ? '…' : ''}'`;
}

const numberText = (n: number) =>
  Number.isNaN(n) ? 'nan' : n === Infinity ? 'inf' : n === -Infinity ? '-inf' : String(n);

/** Renders `v` into `out` until `out.n` reaches the limit; depth is capped, so this never recurses far. */
function write(v: unknown, out: { parts: string[]; n: number; max: number }, depth: number): void {
  const put = (s: string) => {
    out.parts.push(s);
    out.n += s.length;
  };
  if (out.n >= out.max) return;
  const s = shapeOf(v);
  const items = (open: string, close: string, list: unknown[], each: (x: unknown) => void) => {
    if (depth >= maxDepth) return put(`${open}…${close}`);
    put(open);
    for (let i = 0; i < list.length && out.n < out.max; i++) {
      if (i > 0) put(', ');
      each(list[i]);
    }
    put(close);
  };
  const pair = (k: unknown, x: unknown) => {
    write(k, out, depth + 1);
    put(': ');
    write(x, out, depth + 1);
  };
  switch (s.kind) {
    case 'none':
      return put('None');
    case 'bool':
      return put(s.value ? 'True' : 'False');
    case 'number':
      return put(numberText(s.value));
    case 'string':
      return put(quote(s.value, out.max - out.n));
    case 'bytes':
      return put(`bytes (${Math.floor((s.value.length * 3) / 4)} long)`);
    case 'list':
      return items('[', ']', s.items, (x) => write(x, out, depth + 1));
    case 'set':
      return s.items.length === 0 ? put('set()') : items('{', '}', s.items, (x) => write(x, out, depth + 1));
    case 'pairs':
      return items('{', '}', s.items, (p) => (Array.isArray(p) ? pair(p[0], p[1]) : put('?')));
    case 'dict':
      return items('{', '}', Object.keys(s.value), (k) => pair(k, s.value[k as string]));
    case 'frame':
    case 'series': {
      const data = s.value['data'];
      const rows = Array.isArray(data) ? data.length : 0;
      return put(s.kind === 'frame' ? `a DataFrame of ${rows} rows` : `a Series of ${rows} values`);
    }
    case 'opaque':
      return put(safeText(s.repr, out.max - out.n));
    case 'truncated':
      return put('a value too big to send');
    case 'odd':
      return put('an unreadable value');
    default: {
      const _: never = s;
      return _;
    }
  }
}

/** A short rendering of an observed value for a learner's message, at most about `max` characters. */
export function renderValue(v: unknown, max = 200): string {
  const out = { parts: [] as string[], n: 0, max };
  write(v, out, 0);
  const text = out.parts.join('');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
