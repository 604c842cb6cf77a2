import { isDeepStrictEqual } from 'node:util';
import type { Block, Document } from '../documents/document.ts';
import type { BinaryFile } from '../documents/read-document.ts';
import { alignBlocks } from './align.ts';
import type { BlockDiff, DiffOptions, DiffSummary, DocumentDiff } from './diff-model.ts';
import { diffOutputs } from './outputs-diff.ts';
import { diffText } from './text-diff.ts';

function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => !isDeepStrictEqual(a[k], b[k]))
    .sort();
}

function compareBlocks(
  l: Block,
  r: Block,
  i: number,
  j: number,
  o: Required<DiffOptions>,
  moved: boolean,
): BlockDiff {
  const d: BlockDiff = {
    op: moved ? 'moved' : 'unchanged',
    kind: r.kind,
    left: i,
    right: j,
    ...(r.key ? { key: r.key } : {}),
  };
  let changed = l.kind !== r.kind;
  if (l.source !== r.source) {
    d.source = diffText(l.source, r.source, o.timeoutMs);
    changed = true;
  }
  const outputs = diffOutputs(l.outputs, r.outputs, o);
  if (outputs.some((x) => x.op !== 'unchanged')) {
    d.outputs = outputs;
    changed = true;
  }
  const attachments = changedKeys(l.attachments, r.attachments);
  if (attachments.length) {
    d.attachments = attachments;
    changed = true;
  }
  if (o.metadata) {
    const keys = changedKeys(l.metadata, r.metadata);
    if (keys.length) {
      d.metadata = keys;
      changed = true;
    }
  }
  if (o.executionCounts && l.executionCount !== r.executionCount) {
    d.executionCount = { left: l.executionCount, right: r.executionCount };
    changed = true;
  }
  if (changed && !moved) d.op = 'modified';
  return d;
}

const whole = (b: Block, side: 'left' | 'right') => {
  const text = diffText(side === 'left' ? b.source : '', side === 'left' ? '' : b.source);
  return text.ops.length ? text : undefined;
};

/** What changed from `left` to `right`, block by block (see diff-model.ts). */
export function diffDocuments(left: Document, right: Document, options: DiffOptions = {}): DocumentDiff {
  const o: Required<DiffOptions> = {
    metadata: false,
    executionCounts: false,
    timeoutMs: 250,
    volatile: 'ignore',
    ...options,
  };
  const blocks: BlockDiff[] = alignBlocks(left.blocks, right.blocks).map((p) => {
    if (p.left !== undefined && p.right !== undefined)
      return compareBlocks(
        left.blocks[p.left]!,
        right.blocks[p.right]!,
        p.left,
        p.right,
        o,
        Boolean(p.moved),
      );
    const side = p.left !== undefined ? 'left' : 'right';
    const index = (p.left ?? p.right)!;
    const b = (side === 'left' ? left : right).blocks[index]!;
    const source = whole(b, side);
    return {
      op: side === 'left' ? 'removed' : 'added',
      kind: b.kind,
      [side]: index,
      ...(b.key ? { key: b.key } : {}),
      ...(source ? { source } : {}),
    } as BlockDiff;
  });
  const summary: DiffSummary = { added: 0, removed: 0, modified: 0, moved: 0, unchanged: 0 };
  for (const b of blocks) summary[b.op]++;
  const metadataChanged = o.metadata && changedKeys(left.metadata, right.metadata);
  return {
    format: right.format,
    identical: blocks.every((b) => b.op === 'unchanged') && !(metadataChanged && metadataChanged.length),
    summary,
    blocks,
    notes: [...left.notes, ...right.notes],
  };
}

/** Two files that are not text: the same bytes or not, and their sizes. */
export function diffBinary(left: BinaryFile, right: BinaryFile): DocumentDiff {
  return {
    format: 'binary',
    identical: left.sha256 === right.sha256,
    summary: { added: 0, removed: 0, modified: left.sha256 === right.sha256 ? 0 : 1, moved: 0, unchanged: 0 },
    blocks: [],
    binary: {
      left: { size: left.size, sha256: left.sha256 },
      right: { size: right.size, sha256: right.sha256 },
    },
    notes: [],
  };
}
