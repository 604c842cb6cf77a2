import { isObject, sourceText, type JsonObject } from './notebook-json.ts';

function cellsOf(text: string | undefined): JsonObject[] | undefined {
  if (text === undefined) return undefined;
  try {
    const nb = JSON.parse(text) as unknown;
    return isObject(nb) && Array.isArray(nb['cells']) ? nb['cells'].filter(isObject) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `merged` lost a cell text `theirs` wrote (one `base` did not have): when both sides are the
 * learner's (work saved elsewhere), such a text must be kept somewhere. True when either is unreadable.
 */
export function losesTheirSources(base: string | undefined, theirs: string, merged: string): boolean {
  const [b, t, m] = [cellsOf(base) ?? [], cellsOf(theirs), cellsOf(merged)];
  if (!t || !m) return true;
  const had = new Set(b.map(sourceText));
  const kept = new Set(m.map(sourceText));
  return t.map(sourceText).some((s) => !had.has(s) && !kept.has(s));
}
