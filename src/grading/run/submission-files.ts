import { readDocument } from '../documents/read-document.ts';
import { locateBlocks, describeLocator } from '../spec/block-locate.ts';
import type { GradingSpec } from '../spec/grading-spec.ts';

import type { Files } from './tar-files.ts';

const isOwnedByLearner = (spec: GradingSpec, path: string) =>
  spec.files.some((f) => f.path === path) ||
  spec.learner_files.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));

type Cell = Record<string, unknown>;
const textOf = (source: unknown) => (Array.isArray(source) ? source.join('') : String(source ?? ''));

/** A template cell as it runs: a code cell's saved outputs never count. */
const fresh = (c: Cell): Cell =>
  c['cell_type'] === 'code' ? { ...c, outputs: [], execution_count: null } : { ...c };

/** The notebook's cells as JSON, or undefined when it is not a notebook labgate can edit. */
function cellsOf(text: string): { nb: Record<string, unknown>; cells: Cell[] } | undefined {
  try {
    const nb = JSON.parse(text) as Record<string, unknown>;
    return Array.isArray(nb['cells']) ? { nb, cells: nb['cells'] as Cell[] } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Puts the template's locked blocks back into the learner's notebook: edited ones get the template's
 * text, deleted ones come back after the block that preceded them in the template.
 */
function restoreLocked(
  path: string,
  learnerText: string,
  templateText: string,
  spec: GradingSpec['files'][number],
) {
  const notes: string[] = [];
  const learner = cellsOf(learnerText);
  const template = cellsOf(templateText);
  if (!learner || !template || spec.locked.length === 0) return { text: learnerText, notes };
  const templateDoc = readDocument(path, Buffer.from(templateText));
  if (templateDoc.format === 'binary') return { text: learnerText, notes };
  for (const l of spec.locked) {
    const t = locateBlocks(templateDoc, l);
    if (t.length !== 1) continue;
    const original = template.cells[t[0]!]!;
    const learnerDoc = readDocument(path, Buffer.from(JSON.stringify(learner.nb)));
    if (learnerDoc.format === 'binary') break;
    const found = locateBlocks(learnerDoc, l);
    for (const i of found.slice(1).reverse()) learner.cells.splice(i, 1); // copies of a locked cell
    if (found.length > 0) {
      const cell = learner.cells[found[0]!]!;
      if (
        textOf(cell['source']) !== textOf(original['source']) ||
        cell['cell_type'] !== original['cell_type']
      )
        notes.push(
          `${path}: the locked block ${describeLocator(l)} was edited; the template's version was used`,
        );
      learner.cells[found[0]!] = fresh(original);
      continue;
    }
    const before = t[0]! > 0 ? template.cells[t[0]! - 1]!['id'] : undefined;
    const at = before === undefined ? -1 : learner.cells.findIndex((c) => c['id'] === before);
    learner.cells.splice(at >= 0 ? at + 1 : Math.min(t[0]!, learner.cells.length), 0, fresh(original));
    notes.push(
      `${path}: the locked block ${describeLocator(l)} was deleted; the template's version was put back`,
    );
  }
  return { text: JSON.stringify(learner.nb), notes };
}

/**
 * What is graded: the learner's files, with every template file they do not own put back and the
 * locked blocks of graded notebooks restored. Notes say what was put back, for the grader.
 */
export function assembleSubmission(spec: GradingSpec, template: Files, learner: Files) {
  const files: Files = new Map(learner);
  const notes: string[] = [];
  for (const [path, bytes] of template) {
    if (isOwnedByLearner(spec, path)) continue;
    const theirs = learner.get(path);
    if (theirs && !theirs.equals(bytes)) notes.push(`${path}: the template's version was used`);
    files.set(path, bytes);
  }
  for (const f of spec.files) {
    const theirs = files.get(f.path);
    const original = template.get(f.path);
    if (!theirs || !original || !f.path.toLowerCase().endsWith('.ipynb')) continue;
    try {
      const restored = restoreLocked(f.path, theirs.toString('utf8'), original.toString('utf8'), f);
      files.set(f.path, Buffer.from(restored.text));
      notes.push(...restored.notes);
    } catch {
      notes.push(`${f.path}: not a notebook labgate can read; its locked blocks could not be put back`);
    }
  }
  return { files, notes };
}
