import { randomUUID } from 'node:crypto';
import { formatNotebook, isObject, type JsonObject } from './notebook-json.ts';

/** @see nbformat.v4.5.schema.json `definitions/cell_id` */
const cellIdPattern = /^[a-zA-Z0-9-_]+$/;
export const isCellId = (id: unknown): id is string =>
  typeof id === 'string' && id.length <= 64 && cellIdPattern.test(id);

/** A new id unlike any in `taken`, shaped as JupyterLab makes them (a UUID). */
export function newCellId(taken: ReadonlySet<unknown> = new Set()): string {
  let id = randomUUID();
  while (taken.has(id)) id = randomUUID();
  return id;
}

/** Gives every cell a valid id unique among them, the first holder of an id keeping it; true if any changed. */
export function fillCellIds(cells: JsonObject[]): boolean {
  const taken = new Set<unknown>(cells.map((c) => c['id']));
  const seen = new Set<string>();
  let changed = false;
  for (const cell of cells) {
    const id = cell['id'];
    if (isCellId(id) && !seen.has(id)) {
      seen.add(id);
      continue;
    }
    cell['id'] = newCellId(taken);
    taken.add(cell['id']);
    seen.add(cell['id'] as string);
    changed = true;
  }
  return changed;
}

/**
 * The notebook with a valid, unique id on every cell when its version requires them (nbformat ≥ 4.5):
 * ids kept, missing or invalid ones made, repeated ones renamed after the first. A 4.x notebook whose
 * cells carry ids is raised to 4.5, which allows them. `text` itself when nothing needed doing.
 */
export function ensureCellIds(text: string): string {
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch {
    return text;
  }
  if (!isObject(notebook) || notebook['nbformat'] !== 4 || !Array.isArray(notebook['cells'])) return text;
  const cells = notebook['cells'].filter(isObject);
  const minor = notebook['nbformat_minor'];
  if (typeof minor !== 'number' || cells.length !== notebook['cells'].length) return text;
  const raise = minor < 5 && cells.some((c) => 'id' in c);
  if (minor < 5 && !raise) return text;
  if (!fillCellIds(cells) && !raise) return text;
  return formatNotebook(raise ? { ...notebook, nbformat_minor: 5 } : notebook);
}
