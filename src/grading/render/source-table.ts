import type { TextDiff, WordPart } from '../diff/diff-model.ts';
import { splitLines } from '../diff/text-diff.ts';
import { escapeHtml } from './sanitize.ts';

type Side = 'left' | 'right';

export interface SourceTableOptions {
  /** Escaped text of the marker shown after the last line of a side that lacks a final newline. */
  noEol: string;
  /** Put `data-side` and `data-line` on each line (lines a page anchors comments to; not outputs). */
  anchors: boolean;
}

/** A text on both sides unchanged (`equal`), or on one side only, in the shape of a line diff. */
export function wholeText(text: string, op: 'equal' | 'remove' | 'add'): TextDiff {
  const lines = splitLines(text);
  return { ops: lines.length ? [{ op, lines }] : [], added: 0, removed: 0 };
}

const bare = (line: string) => line.replace(/\r?\n$/, '');
const plain = (line: string) => escapeHtml(bare(line));

function words(parts: WordPart[], side: Side): string {
  const keep = side === 'left' ? 'remove' : 'add';
  let html = '';
  for (const p of parts)
    if (p.op === 'equal') html += escapeHtml(bare(p.text));
    else if (p.op === keep) html += `<mark>${escapeHtml(bare(p.text))}</mark>`;
  return html;
}

const count = (t: TextDiff, side: Side) =>
  t.ops.reduce(
    (n, op) =>
      n +
      (op.op === 'replace'
        ? op[side].length
        : op.op === 'equal' || op.op === (side === 'left' ? 'remove' : 'add')
          ? op.lines.length
          : 0),
    0,
  );

/**
 * A line diff as one table (left number, left line, right number, right line) so both sides stay level;
 * every line has its number, which keeps a blank line's height.
 */
export function sourceTable(t: TextDiff, o: SourceTableOptions): string {
  const last = { left: count(t, 'left'), right: count(t, 'right') };
  const next = { left: 0, right: 0 };
  const cell = (side: Side, html: string | undefined) => {
    if (html === undefined) return '<td class="ln"></td><td class="code none"></td>';
    const n = ++next[side];
    const attrs = o.anchors ? ` data-side="${side}" data-line="${n}"` : '';
    const mark = t.noFinalNewline === side && n === last[side] ? `<span class="noeol">${o.noEol}</span>` : '';
    return `<td class="ln">${n}</td><td class="code"${attrs}>${html}${mark}</td>`;
  };
  // Rows are pushed one by one, never spread: a 100,000-line text would overflow the stack.
  const rows: string[] = [];
  const row = (cls: string, l: string | undefined, r: string | undefined) =>
    rows.push(`<tr class="${cls}">${cell('left', l)}${cell('right', r)}</tr>`);
  for (const op of t.ops) {
    if (op.op === 'equal')
      for (const line of op.lines) {
        const html = plain(line);
        row('eq', html, html);
      }
    else if (op.op === 'remove') for (const line of op.lines) row('del', plain(line), undefined);
    else if (op.op === 'add') for (const line of op.lines) row('ins', undefined, plain(line));
    else if (op.words) for (const w of op.words) row('chg', words(w, 'left'), words(w, 'right'));
    else
      for (let k = 0; k < Math.max(op.left.length, op.right.length); k++) {
        const [l, r] = [op.left[k], op.right[k]];
        row('chg', l === undefined ? undefined : plain(l), r === undefined ? undefined : plain(r));
      }
  }
  return `<table class="src">${rows.join('')}</table>`;
}
