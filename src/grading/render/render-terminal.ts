import type { Document } from '../documents/document.ts';
import type { BlockDiff, DocumentDiff, LineOp, TextDiff } from '../diff/diff-model.ts';

const ansi = {
  red: '\x1b[31m',
  green: '\x1b[32m',
  cyan: '\x1b[36m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  reset: '\x1b[0m',
  inverse: '\x1b[7m',
};
type Paint = (color: keyof typeof ansi, s: string) => string;

const noEol = (line: string) => line.replace(/\n$/, '');

function textLines(t: TextDiff, paint: Paint, context = 3): string[] {
  const out: string[] = [];
  t.ops.forEach((op: LineOp, k) => {
    if (op.op === 'equal') {
      const lines = op.lines;
      const head = k === 0 ? [] : lines.slice(0, context);
      const tail = k === t.ops.length - 1 ? [] : lines.slice(Math.max(head.length, lines.length - context));
      out.push(...head.map((l) => `  ${noEol(l)}`));
      if (head.length + tail.length < lines.length)
        out.push(paint('dim', `  ⋯ ${lines.length - head.length - tail.length} unchanged line(s)`));
      out.push(...tail.map((l) => `  ${noEol(l)}`));
    } else if (op.op === 'remove') out.push(...op.lines.map((l) => paint('red', `- ${noEol(l)}`)));
    else if (op.op === 'add') out.push(...op.lines.map((l) => paint('green', `+ ${noEol(l)}`)));
    else if (op.words) {
      op.words.forEach((parts) => {
        out.push(
          paint('red', '- ') +
            parts
              .filter((p) => p.op !== 'add')
              .map((p) =>
                p.op === 'remove'
                  ? paint('red', paint('inverse', noEol(p.text)))
                  : paint('red', noEol(p.text)),
              )
              .join(''),
        );
        out.push(
          paint('green', '+ ') +
            parts
              .filter((p) => p.op !== 'remove')
              .map((p) =>
                p.op === 'add'
                  ? paint('green', paint('inverse', noEol(p.text)))
                  : paint('green', noEol(p.text)),
              )
              .join(''),
        );
      });
    } else {
      out.push(
        ...op.left.map((l) => paint('red', `- ${noEol(l)}`)),
        ...op.right.map((l) => paint('green', `+ ${noEol(l)}`)),
      );
    }
  });
  if (t.coarse) out.push(paint('dim', '  (too large to compare line by line in time: shown as replaced)'));
  return out;
}

const label = (b: BlockDiff, left: Document | undefined, right: Document | undefined) => {
  const where = [
    b.left !== undefined ? `#${b.left + 1}` : '',
    b.right !== undefined ? `#${b.right + 1}` : '',
  ];
  const pos =
    b.op === 'added'
      ? where[1]
      : b.op === 'removed'
        ? where[0]
        : where[0] === where[1]
          ? where[0]
          : `${where[0]} → ${where[1]}`;
  const unit = (right ?? left)?.format === 'notebook' ? `${b.kind} cell` : `${b.kind} block`;
  return `${b.op} ${unit} ${pos}${b.key ? ` (${b.key})` : ''}`;
};

/** A readable, optionally coloured, diff for the terminal: one section per block that changed. */
export function renderTerminal(
  diff: DocumentDiff,
  o: { color: boolean; left?: Document; right?: Document; names: [string, string] },
): string {
  const paint: Paint = o.color ? (c, s) => `${ansi[c]}${s}${ansi.reset}` : (_c, s) => s;
  const out: string[] = [paint('bold', `--- ${o.names[0]}`), paint('bold', `+++ ${o.names[1]}`)];
  for (const note of diff.notes) out.push(paint('dim', `note: ${note}`));
  if (diff.binary) {
    const { left, right } = diff.binary;
    out.push(
      diff.identical
        ? 'binary files are identical'
        : `binary files differ (${left.size} bytes, sha256 ${left.sha256.slice(0, 12)}… → ${right.size} bytes, sha256 ${right.sha256.slice(0, 12)}…)`,
    );
    return out.join('\n') + '\n';
  }
  for (const b of diff.blocks) {
    if (b.op === 'unchanged') continue;
    out.push('', paint('cyan', `@@ ${label(b, o.left, o.right)}`));
    if (b.source) out.push(...textLines(b.source, paint));
    for (const x of b.outputs ?? []) {
      if (x.op === 'unchanged') continue;
      out.push(paint('cyan', `  output ${x.kind}: ${x.op}`));
      if (x.text) out.push(...textLines(x.text, paint).map((l) => `  ${l}`));
      if (x.error) out.push(paint('red', `  - ${x.error.left}`), paint('green', `  + ${x.error.right}`));
      if (x.hashes)
        out.push(
          paint(
            'dim',
            `    content changed (sha256 ${x.hashes.left?.slice(0, 12)}… → ${x.hashes.right?.slice(0, 12)}…)`,
          ),
        );
    }
    if (b.attachments) out.push(paint('dim', `  attachments changed: ${b.attachments.join(', ')}`));
    if (b.metadata) out.push(paint('dim', `  metadata changed: ${b.metadata.join(', ')}`));
    if (b.executionCount)
      out.push(paint('dim', `  execution count: ${b.executionCount.left} → ${b.executionCount.right}`));
  }
  const s = diff.summary;
  out.push(
    '',
    diff.identical
      ? 'no differences'
      : `${s.modified} modified, ${s.added} added, ${s.removed} removed, ${s.moved} moved, ${s.unchanged} unchanged`,
  );
  return out.join('\n') + '\n';
}
