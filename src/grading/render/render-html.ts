import type { Block, Document } from '../documents/document.ts';
import type { BlockDiff, DocumentDiff } from '../diff/diff-model.ts';
import { renderOutput } from './output-html.ts';
import { escapeHtml, renderMarkdown } from './sanitize.ts';
import { sourceTable, wholeText } from './source-table.ts';

export { renderOutput };
const table = { noEol: 'no newline at end', anchors: true };

const outputs = (b: Block | undefined) => (b ? b.outputs.map(renderOutput).join('') : '');
const preview = (b: Block | undefined) =>
  b && (b.kind === 'markdown' || b.kind === 'prose')
    ? `<div class="md">${renderMarkdown(b.source)}</div>`
    : '';

function blockSection(d: BlockDiff, left: Document, right: Document): string {
  const l = d.left !== undefined ? left.blocks[d.left] : undefined;
  const r = d.right !== undefined ? right.blocks[d.right] : undefined;
  const title = `${d.op} · ${d.kind}${d.key ? ` · ${escapeHtml(d.key)}` : ''}`;
  const source = sourceTable(
    d.source ?? wholeText((r ?? l)!.source, !l ? 'add' : !r ? 'remove' : 'equal'),
    table,
  );
  return `<section class="block ${d.op}" data-op="${d.op}">
<h3>${title}</h3>
${source}
<div class="cols"><div class="l">${preview(l)}${outputs(l)}</div><div class="r">${preview(r)}${outputs(r)}</div></div>
</section>`;
}

// Blank lines keep their height: each row has a line number, and an empty line holds a zero-width space.
const style = `body{font:14px system-ui,sans-serif;margin:1rem}table.src{width:100%;border-collapse:collapse;font:13px/1.45 ui-monospace,monospace;table-layout:fixed}
td{white-space:pre-wrap;vertical-align:top;padding:0 .4rem;overflow-wrap:anywhere}td.ln{width:3em;text-align:right;color:#999;user-select:none;border-left:1px solid #ddd}
td.code:empty::after{content:"\\200b"}td.none{background:#f4f4f4}tr.del td.code:not(.none),tr.chg td.code:not(.none):nth-child(2){background:#fee}tr.ins td.code:not(.none),tr.chg td.code:not(.none):nth-child(4){background:#efe}
.noeol{margin-left:.5em;padding:0 .3em;border-radius:3px;background:#eee;color:#666;font:11px system-ui,sans-serif;user-select:none}
mark{background:#fc6}.cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.block{border:1px solid #ccc;margin:.8rem 0;padding:.4rem}
.block.unchanged{opacity:.6}.added{border-color:#3a3}.removed{border-color:#c33}.out{background:#f7f7f7;padding:.3rem;overflow:auto}.err{color:#a00}.muted{color:#777}`;

/**
 * A self-contained side-by-side HTML page of a diff. Everything from the notebooks is escaped or
 * sanitized, and the page's Content-Security-Policy forbids scripts outright as a second wall.
 */
export function renderHtml(
  diff: DocumentDiff,
  o: { left?: Document; right?: Document; names: [string, string] },
): string {
  const [ln, rn] = o.names.map(escapeHtml) as [string, string];
  const s = diff.summary;
  const body =
    diff.binary || !o.left || !o.right
      ? `<p>${diff.identical ? 'The files are identical.' : 'The files differ; they are not text, so only their content hashes were compared.'}</p>`
      : diff.blocks.map((b) => blockSection(b, o.left!, o.right!)).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${ln} → ${rn}</title><style>${style}</style></head><body>
<h1>${ln} → ${rn}</h1>
<p class="summary">${s.modified} modified, ${s.added} added, ${s.removed} removed, ${s.moved} moved, ${s.unchanged} unchanged</p>
${diff.notes.map((n) => `<p class="muted">${escapeHtml(n)}</p>`).join('')}
${body}
</body></html>`;
}
