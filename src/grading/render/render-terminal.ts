import type { Document } from '../documents/document.ts';
import type { BlockDiff, DocumentDiff, LineOp, TextDiff, WordPart } from '../diff/diff-model.ts';

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
/** Makes text from files and names safe for a terminal (control characters shown as escapes). */
export type Visible = (text: string, o?: { keepTabs?: boolean }) => string;

function textLines(t: TextDiff, paint: Paint, visible: Visible, context = 3): string[] {
  const noEol = (line: string) => visible(line.replace(/\n$/, ''), { keepTabs: true });
  // Loops, never push(...lines): a spread passes each line as an argument, and 100k lines overflow the stack.
  const out: string[] = [];
  const each = (lines: string[], line: (l: string) => string) => {
    for (const l of lines) out.push(line(l));
  };
  const side = (parts: WordPart[], keep: 'remove' | 'add', color: 'red' | 'green') =>
    parts
      .filter((p) => p.op === 'equal' || p.op === keep)
      .map((p) =>
        p.op === keep ? paint(color, paint('inverse', noEol(p.text))) : paint(color, noEol(p.text)),
      )
      .join('');
  t.ops.forEach((op: LineOp, k) => {
    if (op.op === 'equal') {
      const lines = op.lines;
      const head = k === 0 ? [] : lines.slice(0, context);
      const tail = k === t.ops.length - 1 ? [] : lines.slice(Math.max(head.length, lines.length - context));
      each(head, (l) => `  ${noEol(l)}`);
      if (head.length + tail.length < lines.length)
        out.push(paint('dim', `  ⋯ ${lines.length - head.length - tail.length} unchanged line(s)`));
      each(tail, (l) => `  ${noEol(l)}`);
    } else if (op.op === 'remove') each(op.lines, (l) => paint('red', `- ${noEol(l)}`));
    else if (op.op === 'add') each(op.lines, (l) => paint('green', `+ ${noEol(l)}`));
    else if (op.words) {
      for (const parts of op.words)
        out.push(
          paint('red', '- ') + side(parts, 'remove', 'red'),
          paint('green', '+ ') + side(parts, 'add', 'green'),
        );
    } else {
      each(op.left, (l) => paint('red', `- ${noEol(l)}`));
      each(op.right, (l) => paint('green', `+ ${noEol(l)}`));
    }
  });
  if (t.coarse) out.push(paint('dim', '  (too large to compare line by line in time: shown as replaced)'));
  if (t.noFinalNewline) out.push(paint('dim', `  \\ no newline at end of the ${t.noFinalNewline} side`));
  return out;
}

const label = (b: BlockDiff, left: Document | undefined, right: Document | undefined, visible: Visible) => {
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
  const unit = `${visible(b.kind)} ${(right ?? left)?.format === 'notebook' ? 'cell' : 'block'}`;
  return `${b.op} ${unit} ${pos}${b.key ? ` (${visible(b.key)})` : ''}`;
};

/**
 * A readable, optionally coloured, diff for the terminal: one section per block that changed. Every
 * piece of the files' text and names goes through `visible` (the CLI's), so a file cannot drive the terminal.
 */
export function renderTerminal(
  diff: DocumentDiff,
  o: { color: boolean; left?: Document; right?: Document; names: [string, string]; visible: Visible },
): string {
  const { visible } = o;
  const paint: Paint = o.color ? (c, s) => `${ansi[c]}${s}${ansi.reset}` : (_c, s) => s;
  const out: string[] = [
    paint('bold', `--- ${visible(o.names[0])}`),
    paint('bold', `+++ ${visible(o.names[1])}`),
  ];
  for (const note of diff.notes) out.push(paint('dim', `note: ${visible(note)}`));
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
    out.push('', paint('cyan', `@@ ${label(b, o.left, o.right, visible)}`));
    if (b.source) for (const l of textLines(b.source, paint, visible)) out.push(l);
    for (const x of b.outputs ?? []) {
      if (x.op === 'unchanged') continue;
      out.push(paint('cyan', `  output ${visible(x.kind)}: ${x.op}`));
      if (x.text) for (const l of textLines(x.text, paint, visible)) out.push(`  ${l}`);
      if (x.error)
        out.push(
          paint('red', `  - ${visible(String(x.error.left))}`),
          paint('green', `  + ${visible(String(x.error.right))}`),
        );
      if (x.hashes)
        out.push(
          paint(
            'dim',
            `    content changed (sha256 ${x.hashes.left?.slice(0, 12)}… → ${x.hashes.right?.slice(0, 12)}…)`,
          ),
        );
    }
    if (b.attachments) out.push(paint('dim', `  attachments changed: ${visible(b.attachments.join(', '))}`));
    if (b.metadata) out.push(paint('dim', `  metadata changed: ${visible(b.metadata.join(', '))}`));
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
