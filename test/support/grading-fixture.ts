import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

type Cells = Array<[id: string, type: 'code' | 'markdown', source: string]>;

export const notebook = (cells: Cells) =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: cells.map(([id, type, source]) =>
      type === 'code'
        ? { id, cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }
        : { id, cell_type: 'markdown', source, metadata: {} },
    ),
  });

/** The exercise's cells as the teacher released them; a submission replaces some sources. */
export const templateCells: Cells = [
  ['intro', 'markdown', '# Squares and means'],
  ['setup', 'code', 'import math\nLIMIT = 10'],
  ['q1', 'code', 'def squares(n):\n    # YOUR CODE HERE\n    raise NotImplementedError()'],
  ['t1', 'code', '_t1_ran = False\nassert squares(3) == [1, 4, 9]\n_t1_ran = True'],
  ['q2', 'code', 'def mean(xs):\n    # YOUR CODE HERE\n    raise NotImplementedError()'],
  ['q3', 'code', '# print the sum of 1..LIMIT'],
];

export const answers = {
  q1: 'def squares(n):\n    return [i * i for i in range(1, n + 1)]',
  q2: 'def mean(xs):\n    return sum(xs) / len(xs)',
  q3: 'print(sum(range(1, LIMIT + 1)))',
};

/** A value only grading.yml holds: a learner who finds it anywhere in the sandbox broke containment. */
export const hiddenMarker = 'HIDDEN-EXPECTED-7f3a9c';

export const gradingYml = `version: 1
defaults:
  timeout: { cell_s: 8, total_s: 90 }
  limits: { memory_mb: 384, pids: 96, tmp_mb: 64, output_kb: 256 }
files:
  - path: ex.ipynb
    locked: [{ cell_id: setup }, { cell_id: t1 }]
    questions:
      - id: squares
        points: 3
        hint: Start the range at 1.
        locate: { cell_id: q1 }
        checks:
          - { type: value, expr: "squares(4)", expect: [1, 4, 9, 16] }
          - { type: value, expr: "squares(0)", expect: [], hidden: true }
          - { type: test, code: "assert squares(5)[-1] == 25" }
      - id: locked-test
        points: 1
        locate: { cell_id: t1 }
        checks:
          - { type: value, expr: "_t1_ran", expect: true }
      - id: mean
        points: 2
        locate: { cell_id: q2 }
        checks:
          - { type: value, expr: "mean([1, 2, 3, 4])", expect: 2.5 }
          - { type: value, expr: "mean([])", expect_error: ZeroDivisionError }
      - id: total
        points: 1
        locate: { cell_id: q3 }
        checks:
          - { type: output, stream: stdout, match: { numbers: [55] } }
      - id: never-shown
        points: 0
        locate: { cell_id: q2 }
        checks:
          - { type: source, require: ["${hiddenMarker}"], points: 0, hidden: true }
`;

/** A grading folder (grading.yml, expected ex.ipynb, template/ex.ipynb) in a fresh temp folder. */
export function gradingFolder() {
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-grading-'));
  mkdirSync(path.join(dir, 'template'));
  writeFileSync(path.join(dir, 'grading.yml'), gradingYml);
  writeFileSync(path.join(dir, 'template', 'ex.ipynb'), notebook(templateCells));
  writeFileSync(path.join(dir, 'template', 'data.csv'), 'x\n1\n');
  writeFileSync(
    path.join(dir, 'ex.ipynb'),
    notebook(templateCells.map(([id, t, s]) => [id, t, answers[id as keyof typeof answers] ?? s])),
  );
  return dir;
}

/** The template with some cells' sources replaced (and, with `drop`, some cells deleted). */
export function submission(
  replace: Record<string, string>,
  o: { drop?: string[]; extra?: Record<string, string> } = {},
) {
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-submission-'));
  const cells = templateCells
    .filter(([id]) => !o.drop?.includes(id))
    .map(([id, t, s]): Cells[number] => [id, t, replace[id] ?? s]);
  writeFileSync(path.join(dir, 'ex.ipynb'), notebook(cells));
  for (const [name, text] of Object.entries(o.extra ?? {})) writeFileSync(path.join(dir, name), text);
  return dir;
}
