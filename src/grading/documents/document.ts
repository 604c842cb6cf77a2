/**
 * Every file labgate diffs, read into one shape: a document is a list of blocks (notebook cells,
 * Markdown sections and code chunks, Org headlines and source blocks, or one block of plain text).
 */
export type DocumentFormat = 'notebook' | 'markdown' | 'rmarkdown' | 'org' | 'text';

export type BlockKind = 'code' | 'markdown' | 'raw' | 'prose' | 'frontmatter' | 'text';

export type Output =
  | { type: 'stream'; name: string; text: string }
  | { type: 'error'; ename: string; evalue: string; traceback: string }
  /** execute_result or display_data: one entry per MIME type, text kept as text, binary as base64. */
  | { type: 'data'; data: Record<string, string>; executionCount?: number | null };

export interface Block {
  kind: BlockKind;
  /** What identifies the block across versions: a cell id, an R chunk label, an Org `#+NAME`. */
  key: string | undefined;
  /** The language of a code block (`python`, `r`…). */
  lang: string | undefined;
  source: string;
  outputs: Output[];
  executionCount: number | null;
  /** Notebook attachments (images pasted into Markdown cells): name → content hash. */
  attachments: Record<string, string>;
  /** Cell metadata, chunk options or src block header arguments. */
  metadata: Record<string, unknown>;
}

export interface Document {
  format: DocumentFormat;
  blocks: Block[];
  metadata: Record<string, unknown>;
  /** Things a reader repaired or could not read in full, said in plain words. */
  notes: string[];
}

export const block = (b: Partial<Block> & Pick<Block, 'kind' | 'source'>): Block => ({
  key: undefined,
  lang: undefined,
  outputs: [],
  executionCount: null,
  attachments: {},
  metadata: {},
  ...b,
});
