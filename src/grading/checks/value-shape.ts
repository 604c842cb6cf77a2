/**
 * What an encoded value is, read the same way on both sides: observations from the sandbox and
 * expected values from grading.yml (where `.nan` and `.inf` arrive as JS numbers).
 */
export type Shape =
  | { kind: 'none' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bytes'; value: string }
  | { kind: 'list'; items: unknown[] }
  | { kind: 'set'; items: unknown[] }
  /** `$dict`: a dict with keys that are not all strings, as `[key, value]` pairs. */
  | { kind: 'pairs'; items: unknown[] }
  | { kind: 'dict'; value: Record<string, unknown> }
  | { kind: 'frame'; value: Record<string, unknown> }
  | { kind: 'series'; value: Record<string, unknown> }
  | { kind: 'opaque'; repr: string; type: string }
  | { kind: 'truncated' }
  /** Anything the encoding does not allow: undefined, a malformed tag, a Date from YAML. */
  | { kind: 'odd' };

const floats: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };

const isPlain = (v: object) => {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && isPlain(v);

/** Reads one tagged object; a single `$`-key object with the wrong payload is odd, never a dict. */
function tagged(v: Record<string, unknown>, keys: string[]): Shape | undefined {
  if (Object.hasOwn(v, '$repr')) {
    const type = v['$type'];
    return { kind: 'opaque', repr: String(v['$repr']), type: typeof type === 'string' ? type : 'object' };
  }
  if (Object.hasOwn(v, '$truncated')) return { kind: 'truncated' };
  if (keys.length !== 1 || !keys[0]!.startsWith('$')) return undefined;
  const key = keys[0]!;
  const payload = v[key];
  if (key === '$float')
    return typeof payload === 'string' && Object.hasOwn(floats, payload)
      ? { kind: 'number', value: floats[payload]! }
      : { kind: 'odd' };
  if (key === '$set' || key === '$dict') {
    if (!Array.isArray(payload)) return { kind: 'odd' };
    return key === '$set' ? { kind: 'set', items: payload } : { kind: 'pairs', items: payload };
  }
  if (key === '$frame' || key === '$series')
    return isRecord(payload)
      ? { kind: key === '$frame' ? 'frame' : 'series', value: payload }
      : { kind: 'odd' };
  if (key === '$bytes')
    return typeof payload === 'string' ? { kind: 'bytes', value: payload } : { kind: 'odd' };
  return undefined;
}

export function shapeOf(v: unknown): Shape {
  if (v === null) return { kind: 'none' };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'number') return { kind: 'number', value: v };
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (Array.isArray(v)) return { kind: 'list', items: v };
  if (!isRecord(v)) return { kind: 'odd' };
  return tagged(v, Object.keys(v)) ?? { kind: 'dict', value: v };
}

/** The Python type a learner would recognise, with its article. */
export function typeName(s: Shape): string {
  switch (s.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return 'a bool';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'bytes':
      return 'bytes';
    case 'list':
      return 'a list';
    case 'set':
      return 'a set';
    case 'pairs':
      return 'a dict with keys that are not all strings';
    case 'dict':
      return 'a dict';
    case 'frame':
      return 'a DataFrame';
    case 'series':
      return 'a Series';
    case 'opaque':
      return `a ${s.type}`;
    case 'truncated':
      return 'a value too big to send';
    case 'odd':
      return 'a value labgate cannot read';
    default: {
      const _: never = s;
      return _;
    }
  }
}
