import { z } from 'zod';

const multiline = z.union([z.string(), z.array(z.string())]);
const cell = z.discriminatedUnion('cell_type', [
  z.object({
    cell_type: z.literal('code'),
    source: multiline,
    outputs: z.array(z.object({ output_type: z.string() })),
  }),
  z.object({ cell_type: z.literal('markdown'), source: multiline }),
  z.object({ cell_type: z.literal('raw'), source: multiline }),
]);
const notebookV4 = z.object({
  nbformat: z.literal(4),
  nbformat_minor: z.number().int(),
  metadata: z.record(z.string(), z.unknown()),
  cells: z.array(cell.and(z.object({ id: z.string().optional() }))),
});
const notebookV3 = z.object({
  nbformat: z.literal(3),
  worksheets: z.array(z.object({ cells: z.array(z.unknown()) })),
});

/**
 * Why a notebook file cannot be opened by Jupyter, or undefined when it can: JSON, nbformat 4 (or 3)
 * structure, and cell ids unique (nbformat 4.5). The checks a line-based merge can break.
 */
export function notebookProblem(text: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  if (notebookV3.safeParse(data).success) return undefined;
  const nb = notebookV4.safeParse(data);
  if (!nb.success) {
    const issue = nb.error.issues[0]!;
    return `not a valid notebook (${issue.path.join('.') || 'top level'}: ${issue.message})`;
  }
  const ids = nb.data.cells.map((c) => c.id).filter((id) => id !== undefined);
  if (new Set(ids).size !== ids.length) return 'two cells share the same id';
  return undefined;
}
