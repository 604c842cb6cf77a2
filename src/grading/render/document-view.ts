import type { Block, Document, Output } from '../documents/document.ts';
import { formatOf, readDocument } from '../documents/read-document.ts';
import { diffDocuments } from '../diff/document-diff.ts';
import { renderOutput } from './output-html.ts';
import { renderReviewDiff, reviewDiffCss } from './review-diff.ts';
import { escapeHtml, renderMarkdown } from './sanitize.ts';

type Locale = 'en' | 'fr';

/**
 * A file read, not run: a notebook or R Markdown document as cells (Markdown rendered and sanitized, code
 * as escaped text, outputs as a grader sees them), a Markdown file rendered. What a forge shows a learner.
 */
const asCells = new Set(['notebook', 'rmarkdown']);

// Terminal colours in tracebacks and streams (ESC [ … letter): dropped, the text kept.
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
const stripAnsi = (s: string) => s.replace(ansi, '');

function viewOutput(o: Output): string {
  if (o.type === 'error')
    return `<pre class="out err">${escapeHtml(stripAnsi(o.traceback || `${o.ename}: ${o.evalue}`))}</pre>`;
  if (o.type === 'stream') return renderOutput({ ...o, text: stripAnsi(o.text) });
  return renderOutput(o);
}

function viewBlock(b: Block): string {
  if (b.kind === 'markdown' || b.kind === 'prose')
    return `<div class="nb-cell nb-md">${renderMarkdown(b.source)}</div>`;
  if (b.kind !== 'code') return `<div class="nb-cell nb-raw"><pre>${escapeHtml(b.source)}</pre></div>`;
  const count = b.executionCount === null ? '&nbsp;' : String(b.executionCount);
  const lang = b.lang ? ` data-lang="${escapeHtml(b.lang)}"` : '';
  const outputs = b.outputs.length
    ? `<div class="nb-outputs">${b.outputs.map(viewOutput).join('')}</div>`
    : '';
  return `<div class="nb-cell nb-code"><div class="nb-in"><span class="nb-prompt">[${count}]:</span><pre class="nb-source"${lang}><code>${escapeHtml(b.source)}</code></pre></div>${outputs}</div>`;
}

const notes = (doc: Document) => doc.notes.map((n) => `<p class="nb-note">${escapeHtml(n)}</p>`).join('');

/** Safe HTML of a file to read, or undefined for a file shown as its text (or not text at all). */
export function renderFileView(file: string, content: Buffer, _locale: Locale): string | undefined {
  const format = formatOf(file);
  if (format === 'markdown') {
    const doc = readDocument(file, content, 'text');
    return doc.format === 'binary'
      ? undefined
      : `<div class="md-file">${renderMarkdown(doc.blocks[0]?.source ?? '')}</div>`;
  }
  if (!asCells.has(format)) return undefined;
  try {
    const doc = readDocument(file, content, format);
    if (doc.format === 'binary') return undefined;
    return `<div class="nb-view" data-format="${format}">${notes(doc)}${doc.blocks.map(viewBlock).join('\n')}</div>`;
  } catch {
    return undefined; // not a notebook after all (broken JSON): its text is shown instead
  }
}

const empty = (format: Document['format']): Document => ({ format, blocks: [], metadata: {}, notes: [] });

/**
 * The cell-aware diff of one file between two versions (absent: added or deleted), for a page that runs
 * no script; undefined when the file is not a notebook (or R Markdown), or cannot be read as one.
 */
export function renderFileDiff(
  o: { oldPath: string; newPath: string; before?: Buffer; after?: Buffer; names: [string, string] },
  locale: Locale,
): string | undefined {
  const format = formatOf(o.newPath);
  if (!asCells.has(format)) return undefined;
  try {
    const left = o.before ? readDocument(o.oldPath, o.before, format) : empty(format);
    const right = o.after ? readDocument(o.newPath, o.after, format) : empty(format);
    if (left.format === 'binary' || right.format === 'binary') return undefined;
    const diff = diffDocuments(left, right);
    return renderReviewDiff(diff, { left, right }, { names: o.names, locale, scriptless: true });
  } catch {
    return undefined;
  }
}

export const documentViewCss = `${reviewDiffCss}
.review-diff details.fold>summary{list-style:none;text-align:center;padding:.3rem;border:1px dashed var(--rd-line);border-radius:6px;color:var(--rd-muted);cursor:pointer}
.review-diff details.fold[open]>summary{margin-bottom:.4rem}
.review-diff .review-bar{position:static}
.nb-view{font:14px/1.5 system-ui,sans-serif}
.nb-cell{margin:.6rem 0}
.nb-md{padding:0 .2rem}.nb-md img,.md-file img,.nb-outputs img{max-width:100%}
.nb-in{display:grid;grid-template-columns:4.5em minmax(0,1fr);align-items:start}
.nb-prompt{font:12px ui-monospace,monospace;color:#1f6feb;padding-top:.45rem;text-align:right;padding-right:.5rem}
.nb-source{margin:0;padding:.45rem .6rem;background:#f6f8fa;border:1px solid #d1d9e0;border-radius:6px;font:13px/1.45 ui-monospace,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
.nb-outputs{margin-left:4.5em}
.nb-outputs .out{margin:.3rem 0;padding:.3rem .5rem;overflow:auto;font:13px/1.45 ui-monospace,monospace;white-space:pre-wrap}
.nb-outputs .out.html,.nb-outputs .out.md{font:inherit;white-space:normal}
.nb-outputs .out.err{color:#cf222e;background:#fff5f5}
.nb-outputs .muted{color:#59636e}
.nb-raw pre{margin:0;padding:.45rem .6rem;border:1px dashed #d1d9e0;white-space:pre-wrap}
.nb-note{color:#9a6700;font-size:13px}
.nb-view table,.md-file table{border-collapse:collapse}.nb-view td,.nb-view th,.md-file td,.md-file th{border:1px solid #d1d9e0;padding:.2rem .5rem}
`;

/** What a forge embedding labgate's renderer needs: files to read and their diffs, safe HTML only. */
export const documentView = { renderFile: renderFileView, renderDiff: renderFileDiff, css: documentViewCss };
