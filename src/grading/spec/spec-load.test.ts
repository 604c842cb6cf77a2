import { describe, expect, it } from 'vitest';
import { readDocument } from '../documents/read-document.ts';
import { locateBlocks } from './block-locate.ts';
import { parseGradingSpec, problemLine } from './spec-load.ts';

const spec = (files: string) => `version: 1\nfiles:\n${files}`;

describe('grading.yml', () => {
  it('gives defaults a teacher can rely on', () => {
    const r = parseGradingSpec(
      spec(
        '  - path: a.ipynb\n    questions:\n      - id: q\n        locate: { tag: q }\n        checks: [{ type: test, code: "assert True" }]\n',
      ),
    );
    expect(r.ok && r.spec.defaults).toEqual({
      timeout: { cell_s: 30, total_s: 600 },
      limits: { memory_mb: 1024, cpus: 1, pids: 256, tmp_mb: 256, output_kb: 1024 },
      tolerance: { rtol: 1e-6, atol: 1e-9 },
      reveal: { before_deadline: 'result', after_deadline: 'diff' },
    });
  });

  it('says every problem with its line, column and path, in words', () => {
    const r = parseGradingSpec(
      'version: 2\nfiles:\n  - path: ../x.ipynb\n    questions:\n      - id: "bad id!"\n        locate: { cell_id: a, tag: b }\n        checks: [{ type: value, expr: "f()", expect: 1, points: -1 }]\n',
    );
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.problems.map((p) => problemLine('grading.yml', p));
    expect(lines).toEqual([
      expect.stringMatching(/^grading\.yml:1:10 version: /),
      expect.stringMatching(/^grading\.yml:3:11 files\[0\]\.path: a relative path inside the repository/),
      expect.stringMatching(/^grading\.yml:5:13 files\[0\]\.questions\[0\]\.id: use letters, digits/),
      expect.stringMatching(/^grading\.yml:6:17 files\[0\]\.questions\[0\]\.locate: locate takes one of/),
      expect.stringMatching(/^grading\.yml:7:\d+ files\[0\]\.questions\[0\]\.checks\[0\]\.points: /),
    ]);
  });

  it('refuses YAML errors and duplicate keys with their place', () => {
    const r = parseGradingSpec('version: 1\nversion: 1\nfiles: [\n');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : problemLine('g.yml', r.problems[0]!)).toMatch(/^g\.yml:2:1 \(yaml\): /);
  });
});

describe('locating a question’s block', () => {
  const nb = readDocument(
    'ex.ipynb',
    Buffer.from(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          { id: 'a', cell_type: 'markdown', source: '## Part C\nExplain.', metadata: {} },
          {
            id: 'b',
            cell_type: 'code',
            source: 'x = 1',
            metadata: { tags: ['q-x'], nbgrader: { grade_id: 'gx' } },
            outputs: [],
            execution_count: null,
          },
          { id: 'c', cell_type: 'markdown', source: 'answer', metadata: { tags: ['q-x'] } },
        ],
      }),
    ),
  );
  const rmd = readDocument('a.Rmd', Buffer.from('# Fit\n\n```{r fit-model}\nfit <- lm(y ~ x)\n```\n'));
  const org = readDocument(
    'n.org',
    Buffer.from('* Part A\n#+NAME: answer-1\n#+BEGIN_SRC python\nprint(42)\n#+END_SRC\n'),
  );

  it('finds blocks by id, tag, grade_id, heading, after a heading, chunk label and Org name', () => {
    if (nb.format === 'binary' || rmd.format === 'binary' || org.format === 'binary') throw new Error('read');
    expect(locateBlocks(nb, { cell_id: 'b' })).toEqual([1]);
    expect(locateBlocks(nb, { tag: 'q-x' })).toEqual([1, 2]); // two: refused at validation
    expect(locateBlocks(nb, { grade_id: 'gx' })).toEqual([1]);
    expect(locateBlocks(nb, { heading: 'Part C' })).toEqual([0]);
    expect(locateBlocks(nb, { heading: '## part c' })).toEqual([0]);
    expect(locateBlocks(nb, { after_heading: 'Part C' })).toEqual([1]);
    expect(locateBlocks(nb, { after_heading: 'Part C', kind: 'markdown' })).toEqual([2]);
    expect(locateBlocks(rmd, { chunk: 'fit-model' })).toHaveLength(1);
    expect(locateBlocks(org, { name: 'answer-1' })).toHaveLength(1);
    expect(locateBlocks(nb, { chunk: 'b' })).toEqual([]);
  });
});
