import { isDeepStrictEqual } from 'node:util';
import type { Block, Output } from '../documents/document.ts';
import type { BlockDiff, OutputDiff } from '../diff/diff-model.ts';
import { outputKind } from '../diff/outputs-diff.ts';
import { renderOutput, shownMime } from './output-html.ts';
import type { ReviewTexts } from './review-texts.ts';
import { escapeHtml } from './sanitize.ts';
import { sourceTable } from './source-table.ts';

/** The outputs of a block paired across sides: the engine's pairs, or by position when it found none changed. */
function pairs(d: BlockDiff, l: Block | undefined, r: Block | undefined): OutputDiff[] {
  if (d.outputs) return d.outputs;
  const [lo, ro] = [l?.outputs ?? [], r?.outputs ?? []];
  return Array.from({ length: Math.max(lo.length, ro.length) }, (_, k): OutputDiff => {
    if (k < lo.length && k < ro.length)
      return { op: 'unchanged', kind: outputKind(ro[k]!), left: k, right: k };
    return k < lo.length
      ? { op: 'removed', kind: outputKind(lo[k]!), left: k }
      : { op: 'added', kind: outputKind(ro[k]!), right: k };
  });
}

/** Shown as plain text (a stream, or data with nothing richer than text/plain): a line diff reads best. */
const plainText = (o: Output | undefined) =>
  o !== undefined && (o.type === 'stream' || (o.type === 'data' && shownMime(o) === 'text/plain'));

function outputRow(p: OutputDiff, lo: Output | undefined, ro: Output | undefined, t: ReviewTexts): string {
  const same = lo !== undefined && ro !== undefined && isDeepStrictEqual(lo, ro);
  let body: string;
  if (p.op === 'modified' && p.text && plainText(lo) && plainText(ro))
    body = `<div class="out-diff">${sourceTable(p.text, { noEol: escapeHtml(t.noEol), anchors: false })}</div>`;
  else {
    // Identical outputs (most of a review) are rendered once: sanitizing is the costly part.
    const lh = lo ? renderOutput(lo) : '';
    const rh = ro ? (same ? lh : renderOutput(ro)) : '';
    body = `<div class="sides"><div class="side side-left">${lh}</div><div class="side side-right">${rh}</div></div>`;
  }
  const note =
    p.op === 'unchanged' && lo && ro && !same ? `<p class="note">${escapeHtml(t.volatileOnly)}</p>` : '';
  return `<div class="output" data-output-op="${p.op}" data-output-kind="${escapeHtml(p.kind)}"><div class="output-head"><span class="output-mark">${escapeHtml(t.output[p.op])}</span></div>${note}${body}</div>`;
}

/** Every output of a block, side by side, each marked unchanged, changed, added or removed. */
export function reviewOutputs(
  d: BlockDiff,
  l: Block | undefined,
  r: Block | undefined,
  t: ReviewTexts,
): string {
  const rows = pairs(d, l, r).map((p) =>
    outputRow(
      p,
      p.left !== undefined ? l?.outputs[p.left] : undefined,
      p.right !== undefined ? r?.outputs[p.right] : undefined,
      t,
    ),
  );
  return rows.length ? `<div class="outputs">${rows.join('')}</div>` : '';
}
