import type { Document } from '../documents/document.ts';
import type { BlockDiff, DocumentDiff } from '../diff/diff-model.ts';
import { reviewBlock } from './review-block.ts';
import { reviewTexts, type ReviewTexts } from './review-texts.ts';
import { escapeHtml } from './sanitize.ts';

export { reviewDiffCss } from './review-style.ts';
export { reviewDiffScript } from './review-script.ts';

/** Stable anchor of a block in a review: its cell id (key) if any, else `#<right index>`, else `-<left index>` (removed). */
export function anchorOf(d: BlockDiff): string {
  return d.key ?? (d.right !== undefined ? `#${d.right}` : `-${d.left}`);
}

export interface ReviewDiffOptions {
  names: [string, string]; // column titles, e.g. ['Template', 'Submission']
  /** Trusted HTML (made by labgate, already escaped) shown beside a block, by anchor: autograder results, comments. */
  annotations?: Map<string, string>;
  /** Fold runs of unchanged blocks behind "N unchanged cells" (default true). */
  foldUnchanged?: boolean;
  locale?: 'fr' | 'en'; // texts on the fragment (default en)
  /** For a page that runs no script: folds are <details>, and no buttons that would need the script. */
  scriptless?: boolean;
}

const fold = (sections: string[], t: ReviewTexts, scriptless: boolean) =>
  scriptless
    ? `<details class="fold" data-count="${sections.length}"><summary class="unfold">${escapeHtml(t.unchangedCells(sections.length))}</summary><div class="fold-body">${sections.join('')}</div></details>`
    : `<div class="fold" data-count="${sections.length}"><button type="button" class="unfold">${escapeHtml(t.unchangedCells(sections.length))}</button><div class="fold-body" hidden>${sections.join('')}</div></div>`;

function bar(diff: DocumentDiff, t: ReviewTexts, folds: boolean, scriptless: boolean): string {
  const button = (cls: string, text: string, keys: string) =>
    `<button type="button" class="${cls}"${keys ? ` title="${keys}"` : ''}>${escapeHtml(text)}</button>`;
  const buttons = scriptless
    ? ''
    : `${button('prev-change', t.previous, 'p / k')}${button('next-change', t.next, 'n / j')}${folds ? button('unfold-all', t.showAll, '') : ''}`;
  return `<div class="review-bar" role="toolbar"><span class="review-summary">${escapeHtml(t.summary(diff.summary))}</span>${buttons}</div>`;
}

/**
 * An HTML fragment (no <html>/<head>): the side-by-side diff of two documents. Learner content is escaped
 * or sanitized, annotations are not; an annotated block never folds away (a grader must see it).
 */
export function renderReviewDiff(
  diff: DocumentDiff,
  docs: { left: Document; right: Document },
  o: ReviewDiffOptions,
): string {
  const t = reviewTexts[o.locale ?? 'en'];
  const folding = o.foldUnchanged ?? true;
  const parts: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length) parts.push(fold(run, t, o.scriptless ?? false));
    run = [];
  };
  for (const d of diff.blocks) {
    const anchor = anchorOf(d);
    const annotation = o.annotations?.get(anchor);
    const html = reviewBlock(d, { ...docs, t, anchor, annotation });
    if (folding && d.op === 'unchanged' && annotation === undefined) run.push(html);
    else {
      flush();
      parts.push(html);
    }
  }
  flush();
  const [ln, rn] = o.names.map(escapeHtml);
  const annotated = diff.blocks.some((d) => o.annotations?.has(anchorOf(d)));
  const notes = diff.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('');
  return `<div class="review-diff${annotated ? ' has-annotations' : ''}" lang="${o.locale ?? 'en'}">${bar(
    diff,
    t,
    parts.some((p) => p.startsWith('<div class="fold"')),
    o.scriptless ?? false,
  )}<div class="review-head"><div class="review-cols"><div>${ln}</div><div>${rn}</div></div></div>${notes}${parts.join('\n')}</div>`;
}
