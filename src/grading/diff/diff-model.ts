/**
 * labgate's diff model: what `labgate diff --json` prints and what the HTML renderer draws.
 *
 * A `DocumentDiff` lists the blocks of both versions in reading order. Each `BlockDiff` says what
 * happened to one block: `unchanged`, `modified` (same block, edited), `added`, `removed`, or `moved`
 * (same block, elsewhere; it may also be edited). `left`/`right` are indices into the two documents'
 * blocks (cells, sections, chunks). Source changes are line operations; a changed line paired with its
 * new version carries a word diff. Outputs are compared by type: text by line, images by SHA-256,
 * errors by name and value. Metadata and execution counts are ignored unless asked for, and so are
 * the parts of outputs that change on every run (memory addresses, timings, progress bars).
 *
 * Lines keep their final `\n`. When only one side's text lacks a final newline, it is compared as if
 * it had one (its last line is then the same line, not a removal and an addition) and `noFinalNewline`
 * names that side: drop the last `\n` of that side's lines to rebuild its text exactly.
 */
export interface WordPart {
  op: 'equal' | 'add' | 'remove';
  text: string;
}

export type LineOp =
  | { op: 'equal'; lines: string[] }
  | { op: 'remove'; lines: string[] }
  | { op: 'add'; lines: string[] }
  /** Lines replaced by others; `words[i]` compares left[i] with right[i] when the counts match. */
  | { op: 'replace'; left: string[]; right: string[]; words?: WordPart[][] };

export interface TextDiff {
  ops: LineOp[];
  added: number;
  removed: number;
  /** The time bound was hit or the text was too large: shown as all removed and all added. */
  coarse?: true;
  /** The one side whose text does not end with a newline (see above); absent when both or neither do. */
  noFinalNewline?: 'left' | 'right';
}

export interface OutputDiff {
  op: 'unchanged' | 'modified' | 'added' | 'removed';
  /** `stream:stdout`, `error`, or the MIME types of a result/display (`data:image/png`). */
  kind: string;
  left?: number;
  right?: number;
  text?: TextDiff;
  /** Binary data (images…) compared by content hash. */
  hashes?: { left?: string; right?: string };
  error?: { left?: string; right?: string };
}

export interface BlockDiff {
  op: 'unchanged' | 'modified' | 'added' | 'removed' | 'moved';
  kind: string;
  key?: string;
  left?: number;
  right?: number;
  source?: TextDiff;
  outputs?: OutputDiff[];
  /** Attachments (pasted images) added, removed or changed, by name. */
  attachments?: string[];
  /** Only with `metadata: true`: the keys whose values differ. */
  metadata?: string[];
  /** Only with `executionCounts: true`. */
  executionCount?: { left: number | null; right: number | null };
}

export interface DiffSummary {
  added: number;
  removed: number;
  modified: number;
  moved: number;
  unchanged: number;
}

export interface DocumentDiff {
  format: string;
  identical: boolean;
  summary: DiffSummary;
  blocks: BlockDiff[];
  /** Binary files: compared by content only. */
  binary?: { left: { size: number; sha256: string }; right: { size: number; sha256: string } };
  notes: string[];
}

export interface DiffOptions {
  /** Report metadata changes (cell metadata, chunk options). Off by default. */
  metadata?: boolean;
  /** Report execution count changes. Off by default. */
  executionCounts?: boolean;
  /** Upper bound for each line diff before it falls back to "all removed, all added". */
  timeoutMs?: number;
  /**
   * Outputs that differ only in memory addresses (`<Foo object at 0x7f…>`), timings (`%time`, `%timeit`)
   * or progress bars count as unchanged with `ignore` (the default); `compare` reports them.
   */
  volatile?: 'ignore' | 'compare';
}
