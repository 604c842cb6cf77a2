import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { addGradingImportCommand } from '../../src/cli/grading-import-command.ts';
import { isAppError } from '../../src/errors.ts';
import { readNotebook } from '../../src/grading/documents/notebook-reader.ts';
import { importNbgrader, loadSpecFolder, parseGradingSpec } from '../../src/grading/index.ts';
import { validateAgainstTemplate } from '../../src/grading/spec/spec-validate.ts';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/nbgrader');
const guide = path.join(fixtures, 'docs/source/user_guide');
const work = mkdtempSync(path.join(tmpdir(), 'labgate-nbgrader-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Cell {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
}
interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

const fixture = (p: string) => readFileSync(path.join(fixtures, p), 'utf8');
const parse = (text: string) => JSON.parse(text) as Notebook;
const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join('') : c.source);
const importFixture = (p: string) => importNbgrader(fixture(p), path.basename(p));

/** What matters of a released cell: its type, source, lock flags and nbgrader metadata (no checksum). */
const essence = (c: Cell) => {
  const { checksum: _c, ...nbgrader } = (c.metadata.nbgrader ?? {}) as Record<string, unknown>;
  return {
    cell_type: c.cell_type,
    source: text(c),
    deletable: c.metadata.deletable,
    editable: c.metadata.editable,
    nbgrader,
  };
};

const notebookOf = (cells: Array<Partial<Cell>>, language = 'python') =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: language, language, display_name: language } },
    cells: cells.map((c) => ({ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, ...c })),
  });
const meta = (m: Record<string, unknown>) => ({
  nbgrader: { schema_version: 3, grade: false, solution: false, locked: false, ...m },
});
const test = (id: string, source: string, points = 1) => ({
  source,
  metadata: meta({ grade: true, grade_id: id, points }),
});

function rejection(run: () => unknown): { code: string; status: number; message: string } {
  try {
    run();
  } catch (err) {
    if (isAppError(err)) return { code: err.code, status: err.status, message: err.message };
    throw err;
  }
  throw new Error('expected the import to be refused');
}

describe("import-nbgrader reproduces nbgrader's release", () => {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) => {
      const p = path.join(d, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
  // Every source notebook of the user guide whose release nbgrader's repository also holds.
  const pairs = walk(path.join(guide, 'source'))
    .filter((s) => s.endsWith('.ipynb'))
    .map((s) => [s, path.join(guide, 'release', path.relative(path.join(guide, 'source'), s))] as const)
    .filter(([, r]) => existsSync(r));
  const header = parse(fixture('docs/source/user_guide/source/header.ipynb')).cells;

  it('has source/release pairs to compare', () => {
    expect(pairs.map(([s]) => path.relative(guide, s)).sort()).toEqual([
      'source/ps1/problem1.ipynb',
      'source/ps1/problem2.ipynb',
    ]);
  });

  it.each(pairs.map(([s, r]) => [path.relative(guide, s), s, r]))(
    '%s: the template has the cells nbgrader released',
    (_name, sourceFile, releaseFile) => {
      const release = parse(readFileSync(releaseFile, 'utf8'));
      const ours = parse(
        importNbgrader(readFileSync(sourceFile, 'utf8'), path.basename(sourceFile)).template,
      );
      // The user guide was released with source/header.ipynb as IncludeHeaderFooter's header.
      expect(release.cells.slice(0, header.length).map(essence)).toEqual(header.map(essence));
      const released = release.cells.slice(header.length);
      expect(ours.cells.map((c) => c.cell_type)).toEqual(released.map((c) => c.cell_type));
      expect(ours.cells.map(text)).toEqual(released.map(text));
      expect(ours.cells.map(essence)).toEqual(released.map(essence));
      // Whole cells too: every key nbgrader wrote, but the checksum, and the 4.5 id nbgrader's 4.0 lacks.
      const whole = ({ id: _id, ...c }: Cell) => {
        const { checksum: _c, ...nbgrader } = (c.metadata.nbgrader ?? {}) as Record<string, unknown>;
        return { ...c, metadata: c.metadata.nbgrader ? { ...c.metadata, nbgrader } : c.metadata };
      };
      expect(ours.cells.map(whole)).toEqual(released.map(whole));
      expect(ours.metadata).toEqual(release.metadata);
      for (const c of ours.cells.filter((x) => x.cell_type === 'code')) {
        expect(c.outputs).toEqual([]);
        expect(c.execution_count).toBeNull();
      }
    },
  );

  it('writes nbformat 4.5 with unique cell ids, and the same ids in the template and the expected notebook', () => {
    const r = importFixture('docs/source/user_guide/source/ps1/problem1.ipynb');
    const template = parse(r.template);
    const expected = parse(r.expected);
    expect([template.nbformat, template.nbformat_minor]).toEqual([4, 5]);
    const ids = template.cells.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[a-zA-Z0-9_-]{1,64}$/.test(id ?? ''))).toBe(true);
    expect(expected.cells.map((c) => c.id)).toEqual(ids);
    expect(importFixture('docs/source/user_guide/source/ps1/problem1.ipynb')).toEqual(r);
  });

  it('keeps the cell ids a 4.5 source already has', () => {
    const source = notebookOf([
      { id: 'keep-me', ...test('t1', 'assert True') },
      { id: 'me-too', source: 'x' },
    ]);
    expect(parse(importNbgrader(source, 'k.ipynb').template).cells.map((c) => c.id)).toEqual([
      'keep-me',
      'me-too',
    ]);
  });

  it('clears solution regions as ClearSolutions does: indented stubs, per language, whole cells without markers', () => {
    const solution = (source: string, type = 'code') => ({
      cell_type: type,
      source,
      metadata: meta({
        solution: true,
        grade: type === 'markdown',
        grade_id: `s${source.length}`,
        points: 1,
      }),
    });
    const cells = [
      solution('def f():\n    """doc"""\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\nx = 1'),
      solution('print("the answer!")'),
      solution(
        'something something\n    ### BEGIN SOLUTION\n    this is the answer!\n    ### END SOLUTION',
        'markdown',
      ),
      solution('$x^2$', 'markdown'),
      test('t', 'assert f() == 1'),
    ];
    const py = parse(importNbgrader(notebookOf(cells), 'py.ipynb').template).cells.map(text);
    expect(py.slice(0, 4)).toEqual([
      'def f():\n    """doc"""\n    # YOUR CODE HERE\n    raise NotImplementedError()\nx = 1',
      '# YOUR CODE HERE\nraise NotImplementedError()',
      'something something\n    YOUR ANSWER HERE',
      'YOUR ANSWER HERE',
    ]);
    const r = parse(importNbgrader(notebookOf(cells, 'R'), 'r.ipynb').template).cells.map(text);
    expect(r.slice(0, 2)).toEqual([
      'def f():\n    """doc"""\n    # YOUR CODE HERE\n    fail()\nx = 1',
      '# YOUR CODE HERE\nfail()',
    ]);
  });

  it('removes the mark scheme of a task cell, and makes the task a question graded by hand', () => {
    const r = importFixture('tests/preprocessors/files/test_taskcell.ipynb');
    const task = parse(r.template).cells[1]!;
    // The blank line before the scheme stays, as nbgrader keeps it.
    expect(text(task)).toBe('Do your best!\n');
    expect(r.expected).toContain('1 mark for writing nicely formatted code');
    const spec = parseGradingSpec(r.gradingYml);
    if (!spec.ok) throw new Error('grading.yml does not parse');
    expect(spec.spec.files[0]!.questions.find((q) => q.id === 'task1')).toMatchObject({
      points: 2,
      locate: { grade_id: 'task1' },
      checks: [{ type: 'manual', rubric: [{ points: 2, text: 'Graded by hand (from nbgrader)' }] }],
    });
  });
});

describe('the grading.yml made', () => {
  const importable = [
    'docs/source/user_guide/source/ps1/problem1.ipynb',
    'docs/source/user_guide/source/ps1/problem2.ipynb',
    'tests/apps/files/test.ipynb',
    'tests/apps/files/test-hidden-tests.ipynb',
    'tests/apps/files/validation-zero-points.ipynb',
    'tests/preprocessors/files/test.ipynb',
    'tests/preprocessors/files/test_taskcell.ipynb',
    'tests/preprocessors/files/manually-graded-code-cell.ipynb',
  ];

  it.each(importable)('%s: parses, and every question and locked cell finds one block', (p) => {
    const r = importFixture(p);
    expect(r.gradingYml.split('\n')[0]).toContain(`from the nbgrader source notebook ${path.basename(p)}`);
    const parsed = parseGradingSpec(r.gradingYml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    for (const version of [r.template, r.expected]) {
      const doc = readNotebook(path.basename(p), version);
      expect(validateAgainstTemplate(parsed.spec, (f) => (f === path.basename(p) ? doc : undefined))).toEqual(
        [],
      );
    }
  });

  it('holds what nbgrader grades in problem1: tests, answers and the task, with locked cells', () => {
    const parsed = parseGradingSpec(
      importFixture('docs/source/user_guide/source/ps1/problem1.ipynb').gradingYml,
    );
    if (!parsed.ok) throw new Error('grading.yml does not parse');
    const file = parsed.spec.files[0]!;
    expect(file.path).toBe('problem1.ipynb');
    expect(file.locked).toEqual([
      { grade_id: 'jupyter' },
      { grade_id: 'correct_squares' },
      { grade_id: 'squares_invalid_input' },
      { grade_id: 'correct_sum_of_squares' },
      { grade_id: 'sum_of_squares_uses_squares' },
      { grade_id: 'cell-938593c4a215c6cc' },
    ]);
    expect(file.questions.map((q) => [q.id, q.points, q.checks.map((c) => c.type).join()])).toEqual([
      ['correct_squares', 1, 'test'],
      ['squares_invalid_input', 1, 'test'],
      ['correct_sum_of_squares', 0.5, 'test'],
      ['sum_of_squares_uses_squares', 0.5, 'test'],
      ['sum_of_squares_equation', 1, 'manual'],
      ['sum_of_squares_application', 2, 'manual'],
      ['cell-938593c4a215c6cc', 4, 'manual'],
    ]);
    // The autograded answers (solution cells without points) make no question.
    expect(file.questions.some((q) => q.id === 'squares' || q.id === 'sum_of_squares')).toBe(false);
  });

  it('turns grade_ids into valid, unique question ids', () => {
    const source = notebookOf([
      test('_private', 'assert 1'),
      test('private', 'assert 2'),
      test('x'.repeat(80), 'assert 3'),
    ]);
    const r = importNbgrader(source, 'ids');
    const parsed = parseGradingSpec(r.gradingYml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.spec.files[0]!.path).toBe('ids.ipynb');
    expect(parsed.spec.files[0]!.questions.map((q) => [q.id, q.locate])).toEqual([
      ['private', { grade_id: '_private' }],
      ['private-2', { grade_id: 'private' }],
      ['x'.repeat(64), { grade_id: 'x'.repeat(80) }],
    ]);
    expect(r.notes).toContain('cell 2 (grade_id "private") is question private-2 in grading.yml');
  });
});

describe('hidden tests', () => {
  const r = importFixture('tests/apps/files/test-hidden-tests.ipynb');
  const hidden = 'assert squares(11) == [1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121]';

  it('are in grading.yml, as one hidden test check worth the cell, and in the expected notebook', () => {
    const parsed = parseGradingSpec(r.gradingYml);
    if (!parsed.ok) throw new Error('grading.yml does not parse');
    const q = parsed.spec.files[0]!.questions.find((x) => x.id === 'correct_squares')!;
    expect(q.points).toBe(1);
    expect(q.checks).toEqual([
      {
        type: 'test',
        code: [
          '"""Check that squares returns the correct output for several inputs"""',
          'assert squares(1) == [1]',
          'assert squares(2) == [1, 4]',
          'assert squares(10) == [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]',
          hidden,
        ].join('\n'),
        points: 1,
        hidden: true,
      },
    ]);
    const visibleOnly = parsed.spec.files[0]!.questions.find((x) => x.id === 'squares_invalid_input')!;
    expect(visibleOnly.checks[0]).toMatchObject({ type: 'test', hidden: false });
    expect(r.expected).toContain(JSON.stringify(hidden).slice(1, -1));
  });

  it('are never in the template, nor are solutions or markers', () => {
    expect(r.template).not.toContain('squares(11)');
    expect(r.template).not.toContain('sum_of_squares(11)');
    expect(r.template).not.toMatch(/HIDDEN TESTS|BEGIN SOLUTION|END SOLUTION/);
    expect(r.expected).not.toMatch(/HIDDEN TESTS|BEGIN SOLUTION|END SOLUTION/);
    const tests = parse(r.template).cells.find((c) => text(c).startsWith('"""Check that squares returns'))!;
    expect(text(tests)).toBe(
      '"""Check that squares returns the correct output for several inputs"""\nassert squares(1) == [1]\nassert squares(2) == [1, 4]',
    );
  });
});

describe('malformed sources are refused, naming the cell', () => {
  const cases: Array<[string, () => unknown, string]> = [
    [
      'not JSON',
      () => importNbgrader('{"cells": [', 'a.ipynb'),
      'a.ipynb: is not a notebook: it is not valid JSON',
    ],
    [
      'not nbformat 4',
      () => importNbgrader(JSON.stringify({ nbformat: 3, worksheets: [] }), 'old.ipynb'),
      'old.ipynb: is not an nbformat 4 notebook (nbformat 3)',
    ],
    [
      'nested BEGIN SOLUTION',
      () =>
        importNbgrader(
          notebookOf([
            {
              source: '### BEGIN SOLUTION\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION',
              metadata: meta({ solution: true, grade_id: 'a' }),
            },
          ]),
          'n.ipynb',
        ),
      'cell 1 (grade_id "a"): BEGIN SOLUTION on line 2 is nested in the one opened on line 1',
    ],
    [
      'unterminated BEGIN SOLUTION',
      () =>
        importNbgrader(
          notebookOf([
            { source: 'x = 0\n### BEGIN SOLUTION\nx = 1', metadata: meta({ solution: true, grade_id: 'a' }) },
          ]),
          'u.ipynb',
        ),
      'cell 1 (grade_id "a"): BEGIN SOLUTION on line 2 has no END SOLUTION',
    ],
    [
      'solution markers in a cell that is not a solution cell',
      () => importFixture('tests/apps/files/test-no-metadata.ipynb'),
      'cell 3: has a BEGIN SOLUTION region but is not a solution cell',
    ],
    [
      'hidden tests in a cell that is not a grade cell',
      () =>
        importNbgrader(
          notebookOf([
            test('t', 'assert True'),
            {
              source: '### BEGIN HIDDEN TESTS\nassert 1\n### END HIDDEN TESTS',
              metadata: meta({ locked: true, grade_id: 'ro' }),
            },
          ]),
          'h.ipynb',
        ),
      'cell 2 (grade_id "ro"): has a BEGIN HIDDEN TESTS region but is not a grade cell',
    ],
    [
      'unterminated hidden tests',
      () => importNbgrader(notebookOf([test('t', 'assert 1\n### BEGIN HIDDEN TESTS\nassert 2')]), 'h.ipynb'),
      'cell 1 (grade_id "t"): BEGIN HIDDEN TESTS on line 2 has no END HIDDEN TESTS',
    ],
    [
      'a grade cell without points',
      () => importFixture('tests/preprocessors/files/blank-points.ipynb'),
      'blank-points.ipynb: cell 1 (grade_id "id1"): is a grade cell without points',
    ],
    [
      'negative points',
      () => importNbgrader(notebookOf([test('neg', 'assert 1', -1)]), 'p.ipynb'),
      'cell 1 (grade_id "neg"): has negative points (-1)',
    ],
    [
      'a blank grade_id',
      () => importFixture('tests/preprocessors/files/blank-grade-id.ipynb'),
      'cell 1: has no grade_id',
    ],
    [
      'a grade_id nbgrader does not allow',
      () => importNbgrader(notebookOf([test('bad id!', 'assert 1')]), 'g.ipynb'),
      'cell 1 (grade_id "bad id!"): its grade_id may hold only letters, digits',
    ],
    [
      'a duplicated grade_id',
      () => importFixture('tests/preprocessors/files/duplicate-grade-ids.ipynb'),
      'grade_id "id1" is used by cells 1, 2: give each cell its own',
    ],
    [
      'a Markdown grade cell that is not a solution',
      () => importFixture('tests/preprocessors/files/bad-markdown-cell-1.ipynb'),
      'cell 1 (grade_id "foo"): is a Markdown grade cell that is not a solution cell',
    ],
    [
      'an old metadata format',
      () => importFixture('tests/apps/files/test-v2.ipynb'),
      "cells 1, 3, 6, 7, 9, 12, 13, 15, 17 use nbgrader's old metadata format 2; run `nbgrader update`",
    ],
    [
      'a metadata format too new',
      () => importFixture('tests/apps/files/too-new.ipynb'),
      'cell 1 uses nbgrader metadata format 10, newer than the 3 this importer reads',
    ],
    [
      'AUTOTEST, which needs a kernel',
      () => importFixture('docs/source/user_guide/source/ps1_autotest/problem1.ipynb'),
      'cell 6 (grade_id "correct_squares"): uses AUTOTEST',
    ],
    [
      'a kernel language nbgrader has no stub for',
      () =>
        importNbgrader(
          notebookOf(
            [{ source: 'x = 1', metadata: meta({ solution: true, grade_id: 'a' }) }, test('t', 'x')],
            'julia',
          ),
          'j.ipynb',
        ),
      'cell 1 (grade_id "a"): has a code solution, but nbgrader has no code stub for kernelspec.language "julia"',
    ],
    [
      'nothing graded',
      () => importFixture('docs/source/user_guide/source/header.ipynb'),
      'header.ipynb: has no grade or task cell to make a question of',
    ],
  ];

  it.each(cases)('%s', (_what, run, message) => {
    const e = rejection(run);
    expect(e).toMatchObject({ code: 'GRADING_NBGRADER_SOURCE', status: 422 });
    expect(e.message).toContain(message);
  });

  it('lists every problem of a source at once', () => {
    const e = rejection(() =>
      importNbgrader(
        notebookOf([test('a', 'assert 1', -2), test('b', '### BEGIN SOLUTION\nx')]),
        'two.ipynb',
      ),
    );
    expect(e.message.split('\n')[0]).toBe('two.ipynb has 3 problems:');
    expect(e.message).toContain('cell 1 (grade_id "a"): has negative points (-2)');
    expect(e.message).toContain('cell 2 (grade_id "b"): BEGIN SOLUTION on line 1 has no END SOLUTION');
  });
});

describe('labgate grading import-nbgrader', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function cli(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    const program = new Command('labgate').exitOverride();
    addGradingImportCommand(program.command('grading'));
    await program.parseAsync(['grading', 'import-nbgrader', ...args], { from: 'user' });
    vi.restoreAllMocks();
    const code = process.exitCode ?? 0;
    process.exitCode = undefined;
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  const problem1 = path.join(guide, 'source/ps1/problem1.ipynb');

  it('writes grading.yml, the expected notebook and the template, which labgate grading validate accepts', async () => {
    const dir = path.join(work, 'ps1');
    const out = await cli(problem1, '--out', dir);
    expect(out).toMatchObject({ code: 0, stderr: '' });
    const r = importNbgrader(readFileSync(problem1, 'utf8'), 'problem1.ipynb');
    expect(readFileSync(path.join(dir, 'grading.yml'), 'utf8')).toBe(r.gradingYml);
    expect(readFileSync(path.join(dir, 'problem1.ipynb'), 'utf8')).toBe(r.expected);
    expect(readFileSync(path.join(dir, 'template/problem1.ipynb'), 'utf8')).toBe(r.template);
    expect(out.stdout).toContain(`wrote ${path.join(dir, 'template/problem1.ipynb')}`);
    expect(out.stdout).toContain('7 questions, 10 points (4 autograded by tests, 3 graded by hand)');
    const loaded = await loadSpecFolder(dir);
    expect(loaded.ok ? [] : loaded.lines).toEqual([]);
  });

  it('exits 1 on a malformed source, printing what is wrong, and writes nothing', async () => {
    const dir = path.join(work, 'bad');
    const out = await cli(path.join(fixtures, 'tests/preprocessors/files/blank-points.ipynb'), '--out', dir);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      'labgate: blank-points.ipynb: cell 1 (grade_id "id1"): is a grade cell without points',
    );
    expect(existsSync(dir)).toBe(false);
    const missing = await cli(path.join(work, 'nope.ipynb'), '--out', dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.ipynb: no such file');
  });

  it('refuses a folder that is not empty unless --force', async () => {
    const dir = path.join(work, 'busy');
    await mkdir(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const out = await cli(problem1, '--out', dir);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`${dir} is not empty`);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    const forced = await cli(problem1, '--out', dir, '--force');
    expect(forced.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['grading.yml', 'notes.txt', 'problem1.ipynb', 'template']);
  });
});
