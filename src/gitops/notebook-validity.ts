import { findSchemaProblem } from './notebook-schema.ts';

/** Where two cells share an id; nbformat's schema cannot say it, its validator checks it apart. */
function findDuplicateId(notebook: unknown): string | undefined {
  const cells = (notebook as { cells?: unknown }).cells;
  if (!Array.isArray(cells)) return undefined;
  const seen = new Map<unknown, number>();
  for (const [i, cell] of cells.entries()) {
    const id = (cell as { id?: unknown }).id;
    if (id === undefined) continue;
    const first = seen.get(id);
    if (first !== undefined) return `cells/${i}: id ${JSON.stringify(id)} is also the id of cells/${first}`;
    seen.set(id, i);
  }
  return undefined;
}

/**
 * Why a notebook file cannot be opened by Jupyter, or undefined when it can: JSON, nbformat's own
 * schema for its version (nbformat-schemas/), and cell ids unique. Problems read `location: what`.
 */
export function notebookProblem(text: string): string | undefined {
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  return findSchemaProblem(notebook) ?? findDuplicateId(notebook);
}
