import { createHash } from 'node:crypto';
import { diffArrays } from 'diff';
import type { Output } from '../documents/document.ts';
import type { OutputDiff } from './diff-model.ts';
import { diffText } from './text-diff.ts';
import { maskOutput } from './volatile-output.ts';

export interface OutputsDiffOptions {
  timeoutMs: number;
  volatile: 'ignore' | 'compare';
}

/** MIME types whose data is text a person reads; everything else (images…) is compared by hash. */
const textual = (mime: string) =>
  mime.startsWith('text/') ||
  mime === 'application/json' ||
  mime === 'image/svg+xml' ||
  mime.endsWith('+json');
/** Text outputs past this size are compared by hash: a 50 MB log is summarised, not diffed. */
const maxTextOutput = 1_000_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const outputKind = (o: Output) =>
  o.type === 'stream'
    ? `stream:${o.name}`
    : o.type === 'error'
      ? 'error'
      : `data:${Object.keys(o.data).sort().join(',')}`;

/** The text an output shows, for a line diff, or undefined when it is binary or too large. */
function readableText(o: Output): string | undefined {
  const text =
    o.type === 'stream'
      ? o.text
      : o.type === 'error'
        ? `${o.ename}: ${o.evalue}`
        : (Object.entries(o.data).find(([m]) => textual(m)) ?? [])[1];
  return text !== undefined && text.length <= maxTextOutput ? text : undefined;
}

const binaryPart = (o: Output) =>
  o.type === 'data'
    ? JSON.stringify(
        Object.entries(o.data)
          .filter(([m]) => !textual(m))
          .sort(),
      )
    : '';

const fingerprint = (o: Output) =>
  sha256(o.type === 'data' ? JSON.stringify(Object.entries(o.data).sort()) : JSON.stringify(o));

function compare(a: Output, b: Output, i: number, j: number, o: OutputsDiffOptions): OutputDiff {
  const kind = outputKind(b);
  if (fingerprint(a) === fingerprint(b)) return { op: 'unchanged', kind, left: i, right: j };
  if (o.volatile === 'ignore' && fingerprint(maskOutput(a)) === fingerprint(maskOutput(b)))
    return { op: 'unchanged', kind, left: i, right: j };
  if (a.type === 'error' && b.type === 'error')
    return {
      op: 'modified',
      kind,
      left: i,
      right: j,
      error: { left: `${a.ename}: ${a.evalue}`, right: `${b.ename}: ${b.evalue}` },
    };
  const ta = readableText(a);
  const tb = readableText(b);
  const text = ta !== undefined && tb !== undefined && ta !== tb ? diffText(ta, tb, o.timeoutMs) : undefined;
  // An image that changed is said so even when its text/plain changed too (`<Figure at 0x…>`).
  const hashes =
    !text || binaryPart(a) !== binaryPart(b) ? { left: fingerprint(a), right: fingerprint(b) } : undefined;
  return {
    op: 'modified',
    kind,
    left: i,
    right: j,
    ...(text ? { text } : {}),
    ...(hashes ? { hashes } : {}),
  };
}

/** Outputs of one cell in both versions, aligned by kind, then compared by type. */
export function diffOutputs(left: Output[], right: Output[], o: OutputsDiffOptions): OutputDiff[] {
  // A cell has few outputs; the bound only guards against a pathological thousands-of-outputs cell.
  const changes = diffArrays(left.map(outputKind), right.map(outputKind), { timeout: o.timeoutMs }) ?? [
    { count: left.length, value: left.map(outputKind), removed: true, added: false },
    { count: right.length, value: right.map(outputKind), added: true, removed: false },
  ];
  const out: OutputDiff[] = [];
  let i = 0;
  let j = 0;
  for (const c of changes) {
    const n = c.count ?? c.value.length;
    for (let k = 0; k < n; k++) {
      if (c.added) out.push({ op: 'added', kind: outputKind(right[j]!), right: j++ });
      else if (c.removed) out.push({ op: 'removed', kind: outputKind(left[i]!), left: i++ });
      else out.push(compare(left[i]!, right[j]!, i++, j++, o));
    }
  }
  return out;
}
