import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureCellIds } from './notebook-cell-ids.ts';
import { formatNotebook } from './notebook-json.ts';
import { notebookProblem } from './notebook-validity.ts';

type Cell = Record<string, unknown>;
const md = (source: string, id?: string): Cell => ({
  ...(id ? { id } : {}),
  cell_type: 'markdown',
  metadata: {},
  source,
});
const code = (source: string, id?: string, run?: string): Cell => ({
  ...(id ? { id } : {}),
  cell_type: 'code',
  execution_count: run ? 1 : null,
  metadata: {},
  outputs: run ? [{ name: 'stdout', output_type: 'stream', text: run }] : [],
  source,
});
const nb = (cells: Cell[], minor = 5) =>
  formatNotebook({ cells, metadata: {}, nbformat: 4, nbformat_minor: minor });
const idsOf = (text: string) => (JSON.parse(text) as { cells: Cell[] }).cells.map((c) => c['id'] as string);

/** git's own three-way line merge, the learner's side winning conflicts, as the Pull runs it. */
function lineMerge(base: string, ours: string, theirs: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-nb-'));
  try {
    const files = Object.entries({ ours, base, theirs }).map(([name, text]) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    });
    return execFileSync('git', ['merge-file', '-p', '--ours', ...files], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ensureCellIds', () => {
  it("repairs git's line merge of a teacher's upgrade to 4.5 with a learner who ran a cell on 4.4", () => {
    const base = nb([md('# Exercise'), code('x = 1')], 4);
    const theirs = nb([md('# Exercise', 'a1'), code('x = 1', 'b2')]);
    const ours = nb([md('# Exercise'), code('x = 1', undefined, '1\n')], 4);
    const merged = lineMerge(base, ours, theirs);
    expect(notebookProblem(merged)).toBe("cells/1: must have required property 'id'");

    const repaired = ensureCellIds(merged);
    expect(notebookProblem(repaired)).toBeUndefined();
    expect(idsOf(repaired)[0]).toBe('a1');
    expect(JSON.parse(repaired).cells[1].outputs).toHaveLength(1);
  });

  it('keeps valid ids, makes missing and invalid ones, renames repeats after the first', () => {
    const text = nb([
      md('a', 'one'),
      md('b'),
      md('c', 'one'),
      md('d', 'not valid!'),
      md('e', 'x'.repeat(65)),
    ]);
    const ids = idsOf(ensureCellIds(text));
    expect(ids[0]).toBe('one');
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(notebookProblem(ensureCellIds(text))).toBeUndefined();
  });

  it('raises a 4.x notebook whose cells carry ids to 4.5', () => {
    const repaired = ensureCellIds(nb([md('a', 'one'), md('b')], 4));
    expect(JSON.parse(repaired).nbformat_minor).toBe(5);
    expect(idsOf(repaired)[0]).toBe('one');
    expect(notebookProblem(repaired)).toBeUndefined();
  });

  it('returns the text itself when there is nothing to do', () => {
    for (const text of [nb([md('a', 'one')]), nb([md('a')], 4), '{"cells": [', '{"nbformat": 3}'])
      expect(ensureCellIds(text)).toBe(text);
  });
});
