import { fillCellIds, isCellId, newCellId } from './notebook-cell-ids.ts';
import { matchCells, type CellClasses } from './notebook-cell-match.ts';
import { mergeCell, mergeObject, unchanged, type CellNote } from './notebook-cell-merge.ts';
import { formatNotebook, isObject, type JsonObject } from './notebook-json.ts';
import { notebookProblem } from './notebook-validity.ts';

/**
 * What the merge did that the learner should hear about, by the merged notebook's cell ids and 1-based
 * positions. `type-changed`: the teacher changed the type of a cell the learner had worked in; the
 * learner's version is kept right after the teacher's. `outputs-dropped`: the teacher changed the code
 * of a cell the learner had run; the learner's outputs went with the old code.
 */
export type NotebookMergeNote =
  | { kind: 'type-changed'; cellId: string; learnerCellId: string; position: number }
  | { kind: 'outputs-dropped'; cellId: string; position: number };

export interface NotebookMerge {
  text: string;
  notes: NotebookMergeNote[];
}

interface Version {
  notebook: JsonObject;
  cells: JsonObject[];
  minor: number;
}

function parse(text: string): Version | undefined {
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(notebook) || notebook['nbformat'] !== 4 || !Array.isArray(notebook['cells']))
    return undefined;
  const cells = notebook['cells'].filter(isObject);
  const minor = notebook['nbformat_minor'];
  if (cells.length !== notebook['cells'].length || !Number.isInteger(minor)) return undefined;
  return { notebook, cells, minor: minor as number };
}

interface Placed {
  cls: number;
  cell: JsonObject;
  note?: CellNote;
  learnerCell?: JsonObject;
}

/** Cells in the learner's order; the teacher's new cells after the cell that precedes them on their side. */
function placeCells(base: Version, ours: Version, theirs: Version, classes: CellClasses): Placed[] {
  const byClass = (v: Version, cls: number[]) => new Map(cls.map((c, i) => [c, v.cells[i]!]));
  const [inBase, inTheirs, inOurs] = [
    byClass(base, classes.base),
    byClass(theirs, classes.theirs),
    byClass(ours, classes.ours),
  ];
  const taken = new Set([...base.cells, ...ours.cells, ...theirs.cells].map((c) => c['id']));
  // Teacher's id first: the next pull's base is the teacher's commit, which must find these cells.
  const idOf = (...cells: Array<JsonObject | undefined>) => cells.map((c) => c?.['id']).find(isCellId);
  const result: Placed[] = [];
  ours.cells.forEach((cell, i) => {
    const cls = classes.ours[i]!;
    const [theirCell, baseCell] = [inTheirs.get(cls), inBase.get(cls)];
    // The teacher removed it: gone too, unless the learner changed it (their work stays).
    if (!theirCell) return unchanged(baseCell, cell) ? undefined : result.push({ cls, cell: { ...cell } });
    const { cells, note } = mergeCell(baseCell, cell, theirCell);
    const placed: Placed = { cls, cell: { ...cells[0], id: idOf(theirCell, cell, baseCell) }, note };
    result.push(placed);
    if (cells[1]) {
      placed.learnerCell = { ...cells[1], id: newCellId(taken) };
      taken.add(placed.learnerCell['id']);
      result.push({ cls: -1 - i, cell: placed.learnerCell });
    }
  });
  const known = (cls: number) => inTheirs.has(cls) || inBase.has(cls);
  theirs.cells.forEach((cell, index) => {
    const cls = classes.theirs[index]!;
    if (inOurs.has(cls) || inBase.has(cls)) return;
    let at = 0;
    for (let i = index - 1; i >= 0 && at === 0; i--)
      at = result.findIndex((p) => p.cls === classes.theirs[i]) + 1;
    // After any learner cells already placed right there, so the learner's insertions stay first.
    while (at < result.length && !known(result[at]!.cls)) at++;
    result.splice(at, 0, { cls, cell: { ...cell } });
  });
  return result;
}

function notesOf(placed: Placed[]): NotebookMergeNote[] {
  const position = new Map(placed.map((p, i) => [p.cell, i + 1]));
  return placed.flatMap((p): NotebookMergeNote[] => {
    const cellId = p.cell['id'] as string;
    if (p.note === 'outputs-dropped') return [{ kind: p.note, cellId, position: position.get(p.cell)! }];
    if (p.note !== 'type-changed' || !p.learnerCell) return [];
    const learnerCellId = p.learnerCell['id'] as string;
    return [{ kind: p.note, cellId, learnerCellId, position: position.get(p.learnerCell)! }];
  });
}

/**
 * Merges two versions of a notebook cell by cell (nbformat ≥ 4.5): cells matched by id, or by content
 * where a version has no ids (one written before 4.5); cells only one side added kept where that side put
 * them; a cell both changed keeps the learner's version. Every cell gets an id; the result is checked
 * against nbformat's schema. Undefined when that cannot be done (git's line merge then applies).
 */
export function mergeNotebookCells(
  baseText: string,
  oursText: string,
  theirsText: string,
): NotebookMerge | undefined {
  const [base, ours, theirs] = [baseText, oursText, theirsText].map(parse);
  if (!base || !ours || !theirs) return undefined;
  const minor = Math.max(ours.minor, theirs.minor);
  if (minor < 5) return undefined; // without ids on either side, git's line merge is as good a guess
  const classes = matchCells(base.cells, ours.cells, theirs.cells);
  if (!classes) return undefined;
  const placed = placeCells(base, ours, theirs, classes);
  const cells = placed.map((p) => p.cell);
  fillCellIds(cells);
  const [b, o, t] = [base, ours, theirs].map((v) => v.notebook['metadata']);
  const merged = {
    ...ours.notebook,
    metadata: isObject(o) && isObject(t) ? mergeObject(b, o, t) : o,
    nbformat_minor: minor,
    cells,
  };
  const text = formatNotebook(merged);
  return notebookProblem(text) === undefined ? { text, notes: notesOf(placed) } : undefined;
}

/** The merged notebook's text; see mergeNotebookCells. */
export function mergeNotebooks(baseText: string, oursText: string, theirsText: string): string | undefined {
  return mergeNotebookCells(baseText, oursText, theirsText)?.text;
}
