import { createHash } from 'node:crypto';
import { readNotebook } from '../documents/notebook-reader.ts';
import { parseGradingSpec, problemLine } from '../spec/spec-load.ts';
import { validateAgainstTemplate } from '../spec/spec-validate.ts';
import { clearedCell, expectedSource, releaseCell } from './nbgrader-release.ts';
import { buildGradingYml } from './nbgrader-spec.ts';
import {
  cellLabel,
  nbgraderSourceError,
  readNbgraderSource,
  type NbgraderSource,
} from './nbgrader-source.ts';

export interface NbgraderImport {
  /** template/<name>: what `nbgrader generate_assignment` releases to learners. */
  template: string;
  /** <name>: the source with its solutions and hidden tests, marker lines and outputs dropped. */
  expected: string;
  gradingYml: string;
  notes: string[];
}

const cellIdPattern = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * nbformat 4.5 cell ids: the source's own when valid and unique, else the grade_id, else eight hex
 * digits derived from the position, so importing the same source again gives the same ids.
 */
function cellIds(nb: NbgraderSource, file: string, note: (m: string) => void): string[] {
  const taken = new Set<string>();
  const own = nb.cells.map((c) => {
    const id = c.json.id;
    if (id === undefined) return undefined;
    if (typeof id === 'string' && cellIdPattern.test(id) && !taken.has(id)) return (taken.add(id), id);
    note(`${cellLabel(c)} had an invalid or repeated cell id ${JSON.stringify(id)}; it has a new one`);
    return undefined;
  });
  return own.map((id, i) => {
    if (id) return id;
    const gradeId = nb.cells[i]!.nbgrader?.gradeId;
    if (gradeId && cellIdPattern.test(gradeId) && !taken.has(gradeId)) return (taken.add(gradeId), gradeId);
    for (let n = 0; ; n++) {
      const made = createHash('sha256').update(`${file}\0${i}\0${n}`).digest('hex').slice(0, 8);
      if (!taken.has(made)) return (taken.add(made), made);
    }
  });
}

const sortedKeys = (_key: string, value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : value;

/** Serialised as nbformat writes: keys sorted, one-space indent, sources as lists of lines. */
function writeNotebook(nb: NbgraderSource, cells: Array<Record<string, unknown>>): string {
  // ClearSolutions drops the toolbar setting; nbformat drops the transient keys.
  const {
    celltoolbar: _t,
    signature: _s,
    orig_nbformat: _o,
    orig_nbformat_minor: _m,
    ...metadata
  } = nb.metadata;
  const lines = (s: unknown) => (typeof s === 'string' ? (s.match(/[^\n]*\n|[^\n]+$/g) ?? []) : s);
  const doc = {
    cells: cells.map((c) => ({ ...c, source: lines(c.source) })),
    metadata,
    nbformat: 4,
    nbformat_minor: Math.max(nb.nbformatMinor, 5),
  };
  return `${JSON.stringify(doc, sortedKeys, 1)}\n`;
}

// The generated spec must load as `labgate grading validate` loads it; a failure here is a source limit.
function checkSpec(file: string, yml: string, template: string) {
  const parsed = parseGradingSpec(yml);
  const problems = parsed.ok
    ? validateAgainstTemplate(parsed.spec, (p) => (p === file ? readNotebook(file, template) : undefined))
    : parsed.problems;
  if (problems.length > 0)
    throw nbgraderSourceError(
      file,
      problems.map((p) => `the grading.yml made from it does not hold: ${problemLine('grading.yml', p)}`),
    );
}

/**
 * An nbgrader source notebook (`name`, ".ipynb" added when missing) as a grading folder's three
 * files: template (nbgrader's release, reproduced), expected notebook and grading.yml. No I/O.
 */
export function importNbgrader(sourceText: string, name: string): NbgraderImport {
  const file = /\.ipynb$/i.test(name) ? name : `${name}.ipynb`;
  const nb = readNbgraderSource(sourceText, file);
  const released = nb.cells.map((c) => releaseCell(c, nb.language));
  const problems = [
    ...nb.problems,
    ...released.flatMap((r, i) => r.problems.map((p) => `${cellLabel(nb.cells[i]!)}: ${p}`)),
  ];
  if (problems.length > 0) throw nbgraderSourceError(file, problems);
  const notes: string[] = [];
  const ids = cellIds(nb, file, (m) => notes.push(m));
  const expected = nb.cells.map(expectedSource);
  const template = writeNotebook(
    nb,
    nb.cells.map((c, i) => clearedCell(c, released[i]!.source, ids[i]!)),
  );
  const spec = buildGradingYml(
    file,
    nb.cells.map((cell, i) => ({ cell, expected: expected[i]!, hiddenTests: released[i]!.hiddenTests })),
  );
  if (spec.questions === 0)
    throw nbgraderSourceError(file, [
      'has no grade or task cell to make a question of: mark its tests "Autograder tests" (or answers "Manually graded") in nbgrader\'s toolbar',
    ]);
  checkSpec(file, spec.text, template);
  return {
    template,
    expected: writeNotebook(
      nb,
      nb.cells.map((c, i) => clearedCell(c, expected[i]!, ids[i]!)),
    ),
    gradingYml: spec.text,
    notes: [...notes, ...spec.notes],
  };
}
