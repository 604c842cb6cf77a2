import type { Block, Document, Output } from '../documents/document.ts';
import type { BlockDiff, DocumentDiff, TextDiff, WordPart } from '../diff/diff-model.ts';
import { escapeHtml, imageTag, renderMarkdown, sanitize } from './sanitize.ts';

const noEol = (l: string) => l.replace(/\n$/, '');

function words(parts: WordPart[], side: 'left' | 'right') {
  return parts
    .filter((p) => p.op === 'equal' || p.op === (side === 'left' ? 'remove' : 'add'))
    .map((p) => (p.op === 'equal' ? escapeHtml(noEol(p.text)) : `<mark>${escapeHtml(noEol(p.text))}</mark>`))
    .join('');
}

/** The two columns of a source diff: rows of (left line, right line), changed lines marked. */
function sourceRows(t: TextDiff): string {
  const rows: string[] = [];
  const row = (l: string | undefined, r: string | undefined, cls: string) =>
    rows.push(`<tr class="${cls}"><td class="l">${l ?? ''}</td><td class="r">${r ?? ''}</td></tr>`);
  for (const op of t.ops) {
    if (op.op === 'equal') op.lines.forEach((l) => row(escapeHtml(noEol(l)), escapeHtml(noEol(l)), 'eq'));
    else if (op.op === 'remove') op.lines.forEach((l) => row(escapeHtml(noEol(l)), undefined, 'del'));
    else if (op.op === 'add') op.lines.forEach((l) => row(undefined, escapeHtml(noEol(l)), 'ins'));
    else if (op.words) op.words.forEach((w) => row(words(w, 'left'), words(w, 'right'), 'chg'));
    else
      for (let k = 0; k < Math.max(op.left.length, op.right.length); k++)
        row(
          op.left[k] === undefined ? undefined : escapeHtml(noEol(op.left[k]!)),
          op.right[k] === undefined ? undefined : escapeHtml(noEol(op.right[k]!)),
          'chg',
        );
  }
  return `<table class="src">${rows.join('')}</table>`;
}

const plainRows = (source: string, side: 'left' | 'right') =>
  sourceRows({
    ops: [{ op: side === 'left' ? 'remove' : 'add', lines: source.split(/(?<=\n)/) }],
    added: 0,
    removed: 0,
  });

/** One output as a grader sees it: sanitized HTML/Markdown, images inline, text escaped. */
export function renderOutput(o: Output): string {
  if (o.type === 'stream') return `<pre class="out">${escapeHtml(o.text)}</pre>`;
  if (o.type === 'error') return `<pre class="out err">${escapeHtml(`${o.ename}: ${o.evalue}`)}</pre>`;
  for (const mime of [
    'text/html',
    'image/svg+xml',
    'image/png',
    'image/jpeg',
    'image/gif',
    'text/markdown',
    'text/plain',
  ]) {
    const data = o.data[mime];
    if (data === undefined) continue;
    if (mime === 'text/html') return `<div class="out html">${sanitize(data)}</div>`;
    if (mime === 'text/markdown') return `<div class="out md">${renderMarkdown(data)}</div>`;
    if (mime === 'text/plain') return `<pre class="out">${escapeHtml(data)}</pre>`;
    const img = imageTag(mime, data);
    if (img) return `<div class="out">${img}</div>`;
  }
  return `<pre class="out muted">${escapeHtml(Object.keys(o.data).join(', '))} output</pre>`;
}

const outputs = (b: Block | undefined) => (b ? b.outputs.map(renderOutput).join('') : '');
const preview = (b: Block | undefined) =>
  b && (b.kind === 'markdown' || b.kind === 'prose')
    ? `<div class="md">${renderMarkdown(b.source)}</div>`
    : '';

function blockSection(d: BlockDiff, left: Document, right: Document): string {
  const l = d.left !== undefined ? left.blocks[d.left] : undefined;
  const r = d.right !== undefined ? right.blocks[d.right] : undefined;
  const title = `${d.op} · ${d.kind}${d.key ? ` · ${escapeHtml(d.key)}` : ''}`;
  const source = d.source
    ? sourceRows(d.source)
    : l && !r
      ? plainRows(l.source, 'left')
      : r && !l
        ? plainRows(r.source, 'right')
        : sourceRows({
            ops: [{ op: 'equal', lines: (r ?? l)!.source.split(/(?<=\n)/) }],
            added: 0,
            removed: 0,
          });
  return `<section class="block ${d.op}" data-op="${d.op}">
<h3>${title}</h3>
${source}
<div class="cols"><div class="l">${preview(l)}${outputs(l)}</div><div class="r">${preview(r)}${outputs(r)}</div></div>
</section>`;
}

const style = `body{font:14px system-ui,sans-serif;margin:1rem}table.src{width:100%;border-collapse:collapse;font:13px ui-monospace,monospace;table-layout:fixed}
td{white-space:pre-wrap;vertical-align:top;padding:0 .4rem;border-left:1px solid #ddd}tr.del td.l,tr.chg td.l{background:#fee}tr.ins td.r,tr.chg td.r{background:#efe}
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
