import type { ICell, INotebookContent } from '@jupyterlab/nbformat';

type Json = unknown;

// nbformat lets multiline text be one string or a list of lines, and Jupyter rewrites one as the other
// on save: compare them as the text they stand for, or every cell a learner's save touched looks edited.
const multilineKeys = new Set(['source', 'text']);
function canonical(value: Json, key = ''): Json {
  if (Array.isArray(value)) {
    if ((multilineKeys.has(key) || key.includes('/')) && value.every((v) => typeof v === 'string'))
      return value.join('');
    return value.map((v) => canonical(v));
  }
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, Json>)[k], k)]),
    );
  return value;
}

/** Equal as the text they stand for; `key` names what is compared (`source`, a mime type…). */
const same = (a: Json, b: Json, key = '') =>
  JSON.stringify(canonical(a, key)) === JSON.stringify(canonical(b, key));

/** Three-way pick: the side that changed wins; when both changed differently, the learner's (ours). */
function pick<T>(base: T | undefined, ours: T | undefined, theirs: T | undefined, key = ''): T | undefined {
  if (same(ours, theirs, key)) return ours;
  if (same(ours, base, key)) return theirs;
  return ours;
}

function mergeObject(
  base: Record<string, Json> | undefined,
  ours: Record<string, Json>,
  theirs: Record<string, Json>,
): Record<string, Json> {
  const merged: Record<string, Json> = {};
  for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
    const value = pick(base?.[key], ours[key], theirs[key], key);
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

function mergeCell(base: ICell | undefined, ours: ICell, theirs: ICell): ICell {
  const merged = mergeObject(base as never, ours as never, theirs as never);
  // Outputs belong to the source that produced them: never the teacher's outputs under the learner's code.
  if (merged['cell_type'] === 'code') {
    const side = (same(merged['source'], ours.source, 'source') ? ours : theirs) as Record<string, Json>;
    merged['outputs'] = side['outputs'] ?? [];
    merged['execution_count'] = side['execution_count'] ?? null;
  }
  return merged as unknown as ICell;
}

function sortedKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortedKeys((value as Record<string, Json>)[k])]),
    );
  return value;
}

const cellsWithIds = (nb: INotebookContent) => nb.cells.every((c) => typeof c.id === 'string' && c.id !== '');

/**
 * Merges two versions of a notebook cell by cell, matching cells by id (nbformat ≥ 4.5): cells only
 * one side added are kept where that side put them, so both sides' new cells survive; a cell both
 * changed keeps the learner's version. Undefined when the notebooks lack cell ids (git's line merge
 * then applies). The result is written as Jupyter writes notebooks (sorted keys, one-space indent).
 */
export function mergeNotebooks(baseText: string, oursText: string, theirsText: string): string | undefined {
  let base: INotebookContent, ours: INotebookContent, theirs: INotebookContent;
  try {
    [base, ours, theirs] = [baseText, oursText, theirsText].map((t) => JSON.parse(t) as INotebookContent) as [
      INotebookContent,
      INotebookContent,
      INotebookContent,
    ];
  } catch {
    return undefined;
  }
  if (![base, ours, theirs].every((nb) => nb.nbformat === 4 && Array.isArray(nb.cells) && cellsWithIds(nb)))
    return undefined;
  const byId = (nb: INotebookContent) => new Map(nb.cells.map((c) => [c.id as string, c]));
  const [baseCells, ourCells, theirCells] = [byId(base), byId(ours), byId(theirs)];

  const result: ICell[] = [];
  for (const cell of ours.cells) {
    const id = cell.id as string;
    const theirCell = theirCells.get(id);
    const baseCell = baseCells.get(id);
    if (!theirCell) {
      // The teacher removed it: gone too, unless the learner changed it (their work stays).
      if (baseCell && same(baseCell, cell)) continue;
      result.push(cell);
    } else result.push(mergeCell(baseCell, cell, theirCell));
  }
  // The teacher's new cells go after the cell that precedes them on the teacher's side.
  theirs.cells.forEach((cell, index) => {
    const id = cell.id as string;
    if (ourCells.has(id) || baseCells.has(id)) return;
    let at = 0;
    for (let i = index - 1; i >= 0; i--) {
      const before = result.findIndex((c) => c.id === theirs.cells[i]!.id);
      if (before >= 0) {
        at = before + 1;
        break;
      }
    }
    // After any learner cells already placed right there, so the learner's insertions stay first.
    while (
      at < result.length &&
      !theirCells.has(result[at]!.id as string) &&
      !baseCells.has(result[at]!.id as string)
    )
      at++;
    result.splice(at, 0, cell);
  });

  const merged = {
    ...ours,
    metadata: mergeObject(base.metadata as never, ours.metadata as never, theirs.metadata as never),
    nbformat_minor: Math.max(ours.nbformat_minor, theirs.nbformat_minor),
    cells: result,
  };
  return `${JSON.stringify(sortedKeys(merged), null, 1)}\n`;
}
