import type { Block, Document } from '../documents/document.ts';
import type { BlockDiff } from '../diff/diff-model.ts';
import { reviewOutputs } from './review-outputs.ts';
import type { ReviewTexts } from './review-texts.ts';
import { escapeHtml, renderMarkdown } from './sanitize.ts';
import { sourceTable, wholeText } from './source-table.ts';

export interface BlockContext {
  left: Document;
  right: Document;
  t: ReviewTexts;
  anchor: string;
  /** Trusted HTML shown beside the block. */
  annotation: string | undefined;
}

const rendered = (b: Block) => b.kind === 'markdown' || b.kind === 'prose';
const prompt = (b: Block | undefined) =>
  b?.kind === 'code' ? `<span class="prompt">[${b.executionCount ?? '&nbsp;'}]</span>` : '';

function header(d: BlockDiff, t: ReviewTexts): string {
  const at = d.right ?? d.left!;
  const parts = [
    `<span class="kind">${escapeHtml(t.kind[d.kind] ?? d.kind)}</span>`,
    `<span class="op">${escapeHtml(t.op[d.op])}</span>`,
    `<span class="pos">${escapeHtml(t.cell(at + 1))}</span>`,
    d.op === 'moved' && d.left !== undefined
      ? `<span class="moved-from" data-from="${d.left}">${escapeHtml(t.movedFrom(d.left + 1))}</span>`
      : '',
    d.key ? `<span class="key">${escapeHtml(d.key)}</span>` : '',
  ];
  return `<header class="cell-head">${parts.join('')}</header>`;
}

/** Rendered Markdown of both sides; one rendering when the sources are equal. */
function preview(l: Block | undefined, r: Block | undefined): string {
  if (!(l && rendered(l)) && !(r && rendered(r))) return '';
  const lh = l && rendered(l) ? renderMarkdown(l.source) : '';
  const rh = r && rendered(r) ? (l && l.source === r.source && lh ? lh : renderMarkdown(r.source)) : '';
  return `<div class="sides preview"><div class="side side-left md">${lh}</div><div class="side side-right md">${rh}</div></div>`;
}

/** What else changed: attachments, metadata keys, execution counts (when the diff was asked for them). */
function details(d: BlockDiff, t: ReviewTexts): string {
  const notes = [
    d.attachments ? `${t.attachments}: ${d.attachments.join(', ')}` : '',
    d.metadata ? `${t.metadata}: ${d.metadata.join(', ')}` : '',
    d.executionCount
      ? `${t.executionCount}: [${d.executionCount.left ?? ' '}] → [${d.executionCount.right ?? ' '}]`
      : '',
  ].filter(Boolean);
  return notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('');
}

function source(d: BlockDiff, l: Block | undefined, r: Block | undefined, t: ReviewTexts): string {
  const text = d.source ?? wholeText((r ?? l)!.source, !l ? 'add' : !r ? 'remove' : 'equal');
  if (!text.ops.length) return `<p class="empty">${escapeHtml(t.empty)}</p>`;
  const table = sourceTable(text, { noEol: escapeHtml(t.noEol), anchors: true });
  const coarse = text.coarse ? `<p class="note">${escapeHtml(t.coarse)}</p>` : '';
  // An unchanged Markdown cell is read rendered; its lines stay in the page for comments.
  return !d.source && rendered((r ?? l)!)
    ? `<details class="md-source"><summary>${escapeHtml(t.source)}</summary>${table}</details>`
    : `${coarse}${table}`;
}

/** One block of the review: `<section class="cell …" data-anchor data-op>`, both sides level. */
export function reviewBlock(d: BlockDiff, c: BlockContext): string {
  const l = d.left !== undefined ? c.left.blocks[d.left] : undefined;
  const r = d.right !== undefined ? c.right.blocks[d.right] : undefined;
  const prompts =
    l?.kind === 'code' || r?.kind === 'code'
      ? `<div class="sides prompts"><div class="side side-left">${prompt(l)}</div><div class="side side-right">${prompt(r)}</div></div>`
      : '';
  const [src, md] = [source(d, l, r, c.t), preview(l, r)];
  // Unchanged prose reads rendered first; changed prose shows its line diff first.
  const body = d.source ? src + md : md + src;
  const main = `${header(d, c.t)}${prompts}${body}${details(d, c.t)}${reviewOutputs(d, l, r, c.t)}`;
  const aside = c.annotation !== undefined ? `<aside class="annotation">${c.annotation}</aside>` : '';
  const cls = `cell op-${d.op} kind-${escapeHtml(d.kind)}${aside ? ' annotated' : ''}`;
  return `<section class="${cls}" data-anchor="${escapeHtml(c.anchor)}" data-op="${d.op}" data-kind="${escapeHtml(d.kind)}"><div class="cell-main">${main}</div>${aside}</section>`;
}
