import { createHash } from 'node:crypto';
import type { MultilineString } from '@jupyterlab/nbformat';
import { z } from 'zod';
import { block, type Block, type Document, type Output } from './document.ts';
import { documentError } from './document-errors.ts';

const text = z
  .union([z.string(), z.array(z.string())])
  .transform((v: MultilineString) => (Array.isArray(v) ? v.join('') : v));
const record = z.record(z.string(), z.unknown());

const outputV4 = z.discriminatedUnion('output_type', [
  z.object({ output_type: z.literal('stream'), name: z.string().default('stdout'), text: text }),
  z.object({
    output_type: z.literal('error'),
    ename: z.string().default(''),
    evalue: z.string().default(''),
    traceback: z.array(z.string()).default([]),
  }),
  z.object({
    output_type: z.literal('execute_result'),
    data: record.default({}),
    execution_count: z.number().nullable().optional(),
  }),
  z.object({ output_type: z.literal('display_data'), data: record.default({}) }),
]);

const cellV4 = z.object({
  cell_type: z.enum(['code', 'markdown', 'raw']),
  id: z.string().optional(),
  source: text.default(''),
  metadata: record.default({}),
  outputs: z.array(outputV4).default([]),
  execution_count: z.number().nullable().optional(),
  attachments: z.record(z.string(), z.unknown()).nullable().optional(),
});

const notebookV4 = z.object({
  nbformat: z.literal(4),
  nbformat_minor: z.number().default(0),
  metadata: record.default({}),
  cells: z.array(cellV4),
});

/** Mime data as strings: text joined, JSON kept as canonical JSON text, base64 as is. */
function mimeData(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [mime, value] of Object.entries(data)) {
    if (typeof value === 'string') out[mime] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[mime] = value.join('');
    else out[mime] = JSON.stringify(value, null, 1);
  }
  return out;
}

function toOutput(o: z.infer<typeof outputV4>): Output {
  switch (o.output_type) {
    case 'stream':
      return { type: 'stream', name: o.name, text: o.text };
    case 'error':
      return { type: 'error', ename: o.ename, evalue: o.evalue, traceback: o.traceback.join('\n') };
    case 'execute_result':
      return { type: 'data', data: mimeData(o.data), executionCount: o.execution_count ?? null };
    default:
      return { type: 'data', data: mimeData(o.data) };
  }
}

const languageOf = (metadata: Record<string, unknown>) => {
  const info = metadata.language_info as { name?: unknown } | undefined;
  const kernel = metadata.kernelspec as { language?: unknown } | undefined;
  const name = info?.name ?? kernel?.language;
  return typeof name === 'string' ? name : undefined;
};

/**
 * nbformat 3 kept cells in worksheets, code in `input`, counts in `prompt_number` and headings as their
 * own cell type: brought to the v4 shape the way nbformat's own upgrade does.
 */
function upgradeV3(nb: Record<string, unknown>): Record<string, unknown> {
  const worksheets = Array.isArray(nb.worksheets) ? (nb.worksheets as Array<{ cells?: unknown[] }>) : [];
  const cells = worksheets.flatMap((w) => (Array.isArray(w.cells) ? w.cells : [])) as Array<
    Record<string, unknown>
  >;
  return {
    nbformat: 4,
    nbformat_minor: 0,
    metadata: nb.metadata ?? {},
    cells: cells.map((c) => {
      if (c.cell_type === 'heading') {
        const level = typeof c.level === 'number' ? c.level : 1;
        const source = Array.isArray(c.source) ? c.source.join('') : String(c.source ?? '');
        return {
          cell_type: 'markdown',
          source: `${'#'.repeat(level)} ${source}`,
          metadata: c.metadata ?? {},
        };
      }
      if (c.cell_type !== 'code') return c;
      return {
        cell_type: 'code',
        source: c.input ?? '',
        metadata: c.metadata ?? {},
        execution_count: c.prompt_number ?? null,
        outputs: (Array.isArray(c.outputs) ? (c.outputs as Array<Record<string, unknown>>) : []).map((o) => {
          if (o.output_type === 'pyout')
            return { output_type: 'execute_result', data: v3Data(o), execution_count: o.prompt_number };
          if (o.output_type === 'pyerr') return { ...o, output_type: 'error' };
          if (o.output_type === 'stream')
            return { output_type: 'stream', name: o.stream ?? 'stdout', text: o.text ?? '' };
          return { output_type: 'display_data', data: v3Data(o) };
        }),
      };
    }),
  };
}

const v3Mime: Record<string, string> = {
  text: 'text/plain',
  html: 'text/html',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpeg: 'image/jpeg',
  latex: 'text/latex',
  json: 'application/json',
  javascript: 'application/javascript',
};
const v3Data = (o: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([k]) => k in v3Mime)
      .map(([k, v]) => [v3Mime[k]!, v]),
  );

/** A Jupyter notebook (nbformat 4, or 3 upgraded) as a document; cells keep their ids as keys. */
export function readNotebook(file: string, textContent: string): Document {
  let raw: unknown;
  try {
    raw = JSON.parse(textContent);
  } catch (err) {
    throw documentError(
      file,
      `is not a notebook: it is not valid JSON (${(err as Error).message})`,
      'Open it in JupyterLab and save it again, or restore it from git.',
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw documentError(file, 'is not a notebook: its JSON is not an object');
  const notes: string[] = [];
  const version = (raw as { nbformat?: unknown }).nbformat;
  if (version === 3) {
    raw = upgradeV3(raw as Record<string, unknown>);
    notes.push(`${file} is in the old nbformat 3; it was read as nbformat 4.`);
  } else if (version !== 4) {
    throw documentError(
      file,
      `is not a notebook labgate can read (nbformat ${JSON.stringify(version ?? null)}; expected 4 or 3)`,
    );
  }
  const parsed = notebookV4.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw documentError(
      file,
      `is not a valid notebook: at ${issue.path.join('/') || 'the top'}, ${issue.message}`,
    );
  }
  const nb = parsed.data;
  const lang = languageOf(nb.metadata);
  const seen = new Set<string>();
  const blocks: Block[] = nb.cells.map((c) => {
    // Copy-pasted cells can share an id; only the first keeps it as a key.
    const key = c.id && !seen.has(c.id) ? c.id : undefined;
    if (c.id) seen.add(c.id);
    return block({
      kind: c.cell_type,
      key,
      lang: c.cell_type === 'code' ? lang : undefined,
      source: c.source,
      outputs: c.outputs.map(toOutput),
      executionCount: c.execution_count ?? null,
      attachments: Object.fromEntries(
        Object.entries(c.attachments ?? {}).map(([name, data]) => [
          name,
          createHash('sha256').update(JSON.stringify(data)).digest('hex'),
        ]),
      ),
      metadata: c.metadata,
    });
  });
  return { format: 'notebook', blocks, metadata: nb.metadata, notes };
}
