import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { notebookProblem } from './notebook-validity.ts';

const code = (id: string, source: unknown = 'x = 1', more: object = {}) => ({
  id,
  cell_type: 'code',
  metadata: {},
  source,
  outputs: [],
  execution_count: null,
  ...more,
});
const markdown = (id: string, source: unknown = '# Title', more: object = {}) => ({
  id,
  cell_type: 'markdown',
  metadata: {},
  source,
  ...more,
});
const notebook = (cells: object[], minor = 5, metadata: object = {}) =>
  JSON.stringify({ nbformat: 4, nbformat_minor: minor, metadata, cells });

const outputs = [
  { output_type: 'stream', name: 'stdout', text: ['1\n', '2\n'] },
  { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '42' }, metadata: {} },
  {
    output_type: 'display_data',
    data: { 'image/png': 'iVBORw0K', 'application/json': { a: 1 } },
    metadata: {},
  },
  { output_type: 'error', ename: 'ValueError', evalue: 'no', traceback: ['Traceback…'] },
];

describe('notebookProblem', () => {
  it('accepts a notebook with every kind of cell and output', () => {
    const cells = [
      markdown('intro', ['# Title\n', 'text'], { attachments: { 'a.png': { 'image/png': 'iVBOR' } } }),
      code('run', 'print(1)', { outputs, execution_count: 1, metadata: { tags: ['x'], collapsed: false } }),
      { id: 'raw-1', cell_type: 'raw', metadata: { format: 'text/latex' }, source: '' },
    ];
    const metadata = {
      kernelspec: { name: 'python3', display_name: 'Python 3' },
      language_info: { name: 'python' },
    };
    expect(notebookProblem(notebook(cells, 5, metadata))).toBeUndefined();
  });

  it.each([
    [
      'a Markdown cell with outputs',
      [markdown('a', 'x', { outputs: [] })],
      'cells/0: must NOT have additional properties (outputs)',
    ],
    [
      'a code cell without execution_count',
      [{ id: 'a', cell_type: 'code', metadata: {}, source: '', outputs: [] }],
      "cells/0: must have required property 'execution_count'",
    ],
    [
      'attachments on a code cell',
      [code('a', 'x', { attachments: {} })],
      'cells/0: must NOT have additional properties (attachments)',
    ],
    [
      'a cell without an id (4.5)',
      [markdown('a'), { cell_type: 'raw', metadata: {}, source: '' }],
      "cells/1: must have required property 'id'",
    ],
    ['an id with a space', [markdown('a b')], 'cells/0/id: must match pattern "^[a-zA-Z0-9-_]+$"'],
    [
      'an id of 65 characters',
      [markdown('a'.repeat(65))],
      'cells/0/id: must NOT have more than 64 characters',
    ],
    [
      'a stream without a name',
      [code('a', 'x', { outputs: [{ output_type: 'stream', text: '' }] })],
      "cells/0/outputs/0: must have required property 'name'",
    ],
    [
      'an unknown cell type',
      [{ id: 'a', cell_type: 'heading', metadata: {}, source: '' }],
      'cells/0/cell_type: must be one of raw, markdown, code',
    ],
    [
      'an unknown output type',
      [code('a', 'x', { outputs: [{ output_type: 'pyout' }] })],
      'cells/0/outputs/0/output_type: must be one of execute_result, display_data, stream, error',
    ],
    ['a source that is a number', [markdown('a', 3)], 'cells/0/source: must be string or must be array'],
    [
      'a mime bundle value that is not text',
      [
        code('a', 'x', {
          outputs: [{ output_type: 'display_data', data: { 'text/plain': 5 }, metadata: {} }],
        }),
      ],
      'cells/0/outputs/0/data/text/plain: must be string or must be array',
    ],
    [
      'a cell without a type',
      [{ id: 'a', metadata: {}, source: '' }],
      "cells/0: must have required property 'cell_type'",
    ],
    [
      'a cell without metadata',
      [{ id: 'a', cell_type: 'markdown', source: '' }],
      "cells/0: must have required property 'metadata'",
    ],
  ])('rejects %s, naming where', (_, cells, problem) => {
    expect(notebookProblem(notebook(cells))).toBe(problem);
  });

  it('checks notebook metadata and the version fields', () => {
    expect(notebookProblem(notebook([], 5, { kernelspec: { name: 'python3' } }))).toBe(
      "metadata/kernelspec: must have required property 'display_name'",
    );
    expect(notebookProblem(JSON.stringify({ nbformat: 4, metadata: {}, cells: [] }))).toBe(
      "top level: must have required property 'nbformat_minor'",
    );
    expect(notebookProblem(JSON.stringify({ nbformat: 5, nbformat_minor: 0, metadata: {}, cells: [] }))).toBe(
      'nbformat: must be 3 or 4 (is 5)',
    );
    expect(notebookProblem('[1, 2]')).toBe('top level: must be an object');
  });

  it("uses the schema of the notebook's minor version: ids are 4.5, not 4.4", () => {
    expect(notebookProblem(notebook([markdown('a')], 4))).toBe(
      'cells/0: must NOT have additional properties (id)',
    );
    const { id: _, ...withoutId } = markdown('a');
    expect(notebookProblem(notebook([withoutId], 4))).toBeUndefined();
    expect(notebookProblem(notebook([withoutId], 0))).toBeUndefined();
  });

  it('checks a notebook from a later minor version as nbformat does: 4.5 rules, unknown keys allowed', () => {
    expect(notebookProblem(notebook([markdown('a', 'x', { future: 1 })], 7))).toBeUndefined();
    expect(notebookProblem(notebook([{ id: 'a', cell_type: 'slide', metadata: {} }], 7))).toBeUndefined();
    expect(notebookProblem(notebook([{ cell_type: 'markdown', metadata: {}, source: '' }], 7))).toBe(
      "cells/0: must have required property 'id'",
    );
  });

  it('checks nbformat 3 notebooks against the v3 schema', () => {
    const v3 = (cell: object) =>
      JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [{ cells: [cell] }] });
    const input = {
      cell_type: 'code',
      input: 'x',
      outputs: [],
      language: 'python',
      collapsed: false,
      metadata: {},
    };
    expect(notebookProblem(v3(input))).toBeUndefined();
    expect(notebookProblem(v3({ ...input, outputs: [{ output_type: 'stream' }] }))).toBe(
      "worksheets/0/cells/0/outputs/0: must have required property 'stream'",
    );
  });

  it('rejects text that is not JSON, and cells sharing an id', () => {
    expect(notebookProblem('{"cells": [')).toMatch(/^not valid JSON \(/);
    expect(notebookProblem(notebook([markdown('a'), code('b'), markdown('a')]))).toBe(
      'cells/2: id "a" is also the id of cells/0',
    );
  });

  it('accepts the notebooks labgate ships', () => {
    const demo = readFileSync(
      new URL('../../templates/demo-exercise/exercice.ipynb', import.meta.url),
      'utf8',
    );
    expect(notebookProblem(demo)).toBeUndefined();
  });

  it('checks a 4,000-cell notebook quickly (time printed, not asserted)', () => {
    const cells = Array.from({ length: 4000 }, (_, i) =>
      i % 2
        ? markdown(`m${i}`, `## Part ${i}\n\ntext`)
        : code(`c${i}`, `y = ${i}`, { outputs, execution_count: i }),
    );
    const text = notebook(cells);
    notebookProblem(text); // the first call compiles the schema
    const runs = [1, 2, 3].map(() => {
      const start = performance.now();
      expect(notebookProblem(text)).toBeUndefined();
      return performance.now() - start;
    });
    console.log(
      `notebookProblem, 4,000 cells (${(text.length / 1e6).toFixed(1)} MB): best ${Math.min(...runs).toFixed(1)} ms`,
    );
  });
});
