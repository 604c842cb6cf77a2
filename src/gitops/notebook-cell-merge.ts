import { isObject, same, type Json, type JsonObject } from './notebook-json.ts';

/** Three-way pick: the side that changed wins; when both changed differently, the learner's (ours). */
function pick(base: Json, ours: Json, theirs: Json, key = ''): Json {
  if (same(ours, theirs, key)) return ours;
  if (same(ours, base, key)) return theirs;
  return ours;
}

/** Key by key; a key either side removed (and the other left as it was) is gone. */
export function mergeObject(base: Json, ours: JsonObject, theirs: JsonObject): JsonObject {
  const from = isObject(base) ? base : {};
  const merged: JsonObject = {};
  for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
    const value = pick(from[key], ours[key], theirs[key], key);
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

const withoutId = ({ id: _, ...cell }: JsonObject) => cell;

/** The cell as it was in the base, ids aside: an unchanged cell the teacher deleted may go. */
export const unchanged = (base: JsonObject | undefined, ours: JsonObject) =>
  base !== undefined && same(withoutId(base), withoutId(ours));

/** What the learner wrote or ran differs from the base (type, metadata and id aside). */
const learnerWorked = (base: JsonObject | undefined, ours: JsonObject) =>
  !base || ['source', 'attachments', 'outputs', 'execution_count'].some((k) => !same(base[k], ours[k], k));

const hasOutputs = (cell: JsonObject) => Array.isArray(cell['outputs']) && cell['outputs'].length > 0;

export type CellNote = 'type-changed' | 'outputs-dropped';

/** The merged cell, then (type-changed) the learner's own version to keep beside it under a new id. */
export interface CellMerge {
  cells: [JsonObject] | [JsonObject, JsonObject];
  note?: CellNote;
}

/**
 * Merges one cell key by key (metadata too), then gives it the keys its merged type has in nbformat:
 * attachments on Markdown and raw cells only, outputs and execution_count on code cells only, those
 * from the side whose source won, as outputs belong to the code that made them. The id is the caller's.
 */
export function mergeCell(base: JsonObject | undefined, ours: JsonObject, theirs: JsonObject): CellMerge {
  const merged = mergeObject(base, ours, theirs);
  if (isObject(ours['metadata']) && isObject(theirs['metadata']))
    merged['metadata'] = mergeObject(base?.['metadata'], ours['metadata'], theirs['metadata']);
  const type = merged['cell_type'];
  // The teacher changed the type of a cell the learner worked in: both versions stay, whole.
  if (type !== ours['cell_type'] && learnerWorked(base, ours))
    return { cells: [{ ...theirs }, { ...ours }], note: 'type-changed' };

  const { outputs: _o, execution_count: _e, attachments, ...cell } = merged;
  if (type !== 'code') return { cells: [attachments === undefined ? cell : { ...cell, attachments }] };
  const side = same(merged['source'], ours['source'], 'source') ? ours : theirs;
  const code = side['cell_type'] === 'code';
  const result = {
    ...cell,
    outputs: code ? (side['outputs'] ?? []) : [],
    execution_count: code ? (side['execution_count'] ?? null) : null,
  };
  const dropped =
    side !== ours &&
    hasOutputs(ours) &&
    !same(ours['outputs'], base?.['outputs']) &&
    !same(ours['outputs'], result.outputs);
  return dropped ? { cells: [result], note: 'outputs-dropped' } : { cells: [result] };
}
