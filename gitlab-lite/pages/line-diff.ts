import { escapeHtml } from './page-layout.ts';

/** Rows past this are not drawn: the file's own page shows it whole. */
const maxRows = 5000;

type Kind = 'ctx' | 'ins' | 'del' | 'hunk' | 'note';

function rowsTable(rows: string[], truncated: boolean, more: string): string {
  const tail = truncated
    ? `<tr class="note"><td class="ln"></td><td class="ln"></td><td class="sign"></td><td class="line">${escapeHtml(more)}</td></tr>`
    : '';
  return `<table class="diff" data-testid="line-diff">${rows.join('')}${tail}</table>`;
}

const row = (kind: Kind, oldNo: number | '', newNo: number | '', sign: string, html: string) =>
  `<tr class="${kind}"><td class="ln">${oldNo}</td><td class="ln">${newNo}</td><td class="sign">${sign}</td><td class="line">${html}</td></tr>`;

/** git's hunks (`@@ -a,b +c,d @@` and the lines after) as a table with old and new line numbers. */
export function renderHunks(patch: string, t: { noNewline: string; diffTooLarge: string }): string {
  const rows: string[] = [];
  let [oldNo, newNo] = [0, 0];
  const lines = patch.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (rows.length >= maxRows) return rowsTable(rows, true, t.diffTooLarge);
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      [oldNo, newNo] = [Number(hunk[1]), Number(hunk[2])];
      rows.push(row('hunk', '', '', '', escapeHtml(line)));
    } else if (line.startsWith('+')) rows.push(row('ins', '', newNo++, '+', escapeHtml(line.slice(1))));
    else if (line.startsWith('-')) rows.push(row('del', oldNo++, '', '-', escapeHtml(line.slice(1))));
    else if (line.startsWith('\\')) rows.push(row('note', '', '', '', escapeHtml(t.noNewline)));
    else rows.push(row('ctx', oldNo++, newNo++, '', escapeHtml(line.slice(1))));
  }
  return rowsTable(rows, false, '');
}

/** A file added or deleted: every line on one side. */
export function renderWhole(
  text: string,
  side: 'ins' | 'del',
  t: { noNewline: string; diffTooLarge: string },
) {
  const lines = text.split('\n');
  const finalNewline = lines.at(-1) === '';
  if (finalNewline) lines.pop();
  const rows: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (rows.length >= maxRows) return rowsTable(rows, true, t.diffTooLarge);
    const html = escapeHtml(line.replace(/\r$/, ''));
    rows.push(side === 'ins' ? row('ins', '', i + 1, '+', html) : row('del', i + 1, '', '-', html));
  }
  if (!finalNewline && lines.length) rows.push(row('note', '', '', '', escapeHtml(t.noNewline)));
  return rowsTable(rows, false, '');
}
