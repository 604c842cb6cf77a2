import { diffArrays } from 'diff';
import { isCellId } from './notebook-cell-ids.ts';
import { sourceText, type JsonObject } from './notebook-json.ts';

/** Which cells of the three versions are one cell: a class number for each cell of each version. */
export interface CellClasses {
  base: number[];
  ours: number[];
  theirs: number[];
}

type Pairs = Array<[number, number]>;

/** The cells' ids when every cell has a valid one and no two share it. */
function usableIds(cells: JsonObject[]): string[] | undefined {
  const ids = cells.map((c) => c['id']);
  return ids.every(isCellId) && new Set(ids).size === ids.length ? (ids as string[]) : undefined;
}

function pairsById(a: string[], b: string[]): Pairs {
  const inB = new Map(b.map((id, j) => [id, j]));
  return a.flatMap((id, i): Pairs => (inB.has(id) ? [[i, inB.get(id)!]] : []));
}

/**
 * Cells paired by content, for versions without ids: equal sources on their longest common
 * subsequence, then the cells between two such anchors in order (edited in place), the longer run's
 * extra cells counting as added or removed. A wrong pair costs no learner work: their changes win.
 */
function pairsByContent(a: JsonObject[], b: JsonObject[]): Pairs | undefined {
  const changes = diffArrays(a.map(sourceText), b.map(sourceText), { timeout: 2_000 });
  if (!changes) return undefined;
  const pairs: Pairs = [];
  let [i, j, removed, added] = [0, 0, 0, 0];
  const closeRun = () => {
    for (let k = 0; k < Math.min(removed, added); k++) pairs.push([i - removed + k, j - added + k]);
    removed = added = 0;
  };
  for (const change of changes) {
    if (change.removed) [i, removed] = [i + change.count, removed + change.count];
    else if (change.added) [j, added] = [j + change.count, added + change.count];
    else {
      closeRun();
      for (let k = 0; k < change.count; k++) pairs.push([i++, j++]);
    }
  }
  closeRun();
  return pairs;
}

/** By id when both versions have usable ids (Jupyter keeps them), by content otherwise. */
function pairVersions(a: JsonObject[], b: JsonObject[]): { pairs: Pairs | undefined; byId: boolean } {
  const [idsA, idsB] = [usableIds(a), usableIds(b)];
  return idsA && idsB
    ? { pairs: pairsById(idsA, idsB), byId: true }
    : { pairs: pairsByContent(a, b), byId: false };
}

/**
 * Matches the cells of a notebook's base, learner (ours) and teacher (theirs) versions: base with each
 * side by id or content, ours with theirs by shared ids. Links by id come first; a later link that
 * would make one cell of two of a version is dropped. Undefined when content could not be compared in time.
 */
export function matchCells(
  base: JsonObject[],
  ours: JsonObject[],
  theirs: JsonObject[],
): CellClasses | undefined {
  const versions = [base, ours, theirs];
  const start = [0, base.length, base.length + ours.length];
  const parent = Array.from({ length: start[2]! + theirs.length }, (_, i) => i);
  // Which versions a class holds, one bit each: a class holds at most one cell of each.
  const held = parent.map((i) => (i < start[1]! ? 1 : i < start[2]! ? 2 : 4));
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  const link = (pairs: Pairs, a: number, b: number) => {
    for (const [i, j] of pairs) {
      const [x, y] = [root(start[a]! + i), root(start[b]! + j)];
      if (x === y || held[x]! & held[y]!) continue;
      parent[x] = y;
      held[y]! |= held[x]!;
    }
  };
  const [idsOurs, idsTheirs] = [usableIds(ours), usableIds(theirs)];
  const fromBase = [pairVersions(base, ours), pairVersions(base, theirs)];
  if (fromBase.some((p) => !p.pairs)) return undefined;
  if (idsOurs && idsTheirs) link(pairsById(idsOurs, idsTheirs), 1, 2);
  for (const byId of [true, false]) fromBase.forEach((p, k) => p.byId === byId && link(p.pairs!, 0, k + 1));
  const [b, o, t] = versions.map((cells, v) => cells.map((_, i) => root(start[v]! + i)));
  return { base: b!, ours: o!, theirs: t! };
}
