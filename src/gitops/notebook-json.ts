export type Json = unknown;
export type JsonObject = Record<string, Json>;

export const isObject = (v: Json): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// nbformat lets multiline text be one string or a list of lines, and Jupyter rewrites one as the other
// on save: compare them as the text they stand for, or every cell a learner's save touched looks edited.
const multilineKeys = new Set(['source', 'text']);
function canonical(value: Json, key = ''): Json {
  if (Array.isArray(value)) {
    if ((multilineKeys.has(key) || key.includes('/')) && value.every((v) => typeof v === 'string'))
      return value.join('');
    return value.map((v) => canonical(v));
  }
  if (isObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k], k)]),
    );
  return value;
}

/** A cell's source as one string, whichever of nbformat's two forms it is written in. */
export const sourceText = (cell: JsonObject | undefined): string =>
  String(canonical(cell?.['source'] ?? '', 'source'));

/** Equal as the text they stand for; `key` names what is compared (`source`, a mime type…). */
export const same = (a: Json, b: Json, key = '') =>
  a === b || JSON.stringify(canonical(a, key)) === JSON.stringify(canonical(b, key));

function sortedKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (isObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortedKeys(value[k])]),
    );
  return value;
}

/** The notebook written as Jupyter writes it: sorted keys, one-space indent, a final newline. */
export const formatNotebook = (notebook: JsonObject) => `${JSON.stringify(sortedKeys(notebook), null, 1)}\n`;
