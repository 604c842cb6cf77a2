import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { gradingSpec, type GradingSpec } from './grading-spec.ts';

/** One thing wrong with a grading spec, where it is: `grading.yml:12:7 files[0].questions[1].points: …`. */
export interface SpecProblem {
  line: number | undefined;
  column: number | undefined;
  path: string;
  message: string;
}

export type SpecParse = { ok: true; spec: GradingSpec } | { ok: false; problems: SpecProblem[] };

const pathText = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)),
    '',
  ) || '(top)';

/** The deepest node of `path` the document has: a problem in a missing key points at its parent. */
function nodeAt(root: unknown, path: readonly PropertyKey[]): YamlNode | undefined {
  let node = root as YamlNode | undefined;
  for (const key of path) {
    const next: unknown =
      isMap(node) || isSeq(node)
        ? (node as { get(k: unknown, keep: true): unknown }).get(key, true)
        : undefined;
    if (!next || typeof next !== 'object') break;
    node = next as YamlNode;
  }
  return node;
}

const sentence = (issue: z.core.$ZodIssue) => {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'locate')
    return 'locate takes one of cell_id, tag, grade_id, heading, after_heading (with kind), chunk or name';
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'match')
    return 'match takes one of equals, normalized_equals, contains, regex (with flags), keywords (with at_least) or numbers (with tolerance)';
  return issue.message;
};

/** Parses grading.yml, returning the spec or every problem found with its line and column. */
export function parseGradingSpec(text: string): SpecParse {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => (offset === undefined ? undefined : lines.linePos(offset));
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = at(e.pos[0]);
        return { line: pos?.line, column: pos?.col, path: '(yaml)', message: e.message.split('\n')[0]! };
      }),
    };
  }
  const parsed = gradingSpec.safeParse(doc.toJS({ maxAliasCount: 50 }) ?? {});
  if (parsed.success) return { ok: true, spec: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const pos = at(nodeAt(doc.contents, issue.path)?.range?.[0]);
      return { line: pos?.line, column: pos?.col, path: pathText(issue.path), message: sentence(issue) };
    }),
  };
}

export const problemLine = (file: string, p: SpecProblem) =>
  `${file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''} ${p.path}: ${p.message}`;
