import { rmSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { gradeSubmission, parseGradingSpec } from '../../src/grading/index.ts';
import { connectEngine, createDockerJobs } from '../../src/workspaces/index.ts';
import { podmanSocket } from '../support/containers.ts';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const rNotebook = (answer: string) =>
  Buffer.from(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'ir', display_name: 'R', language: 'R' } },
      cells: [
        {
          id: 'data',
          cell_type: 'code',
          source: 'x <- 1:10',
          metadata: {},
          outputs: [],
          execution_count: null,
        },
        { id: 'q', cell_type: 'code', source: answer, metadata: {}, outputs: [], execution_count: null },
      ],
    }),
  );

describe('grading an R notebook', () => {
  it('runs it with IRkernel and judges its output; value checks are refused at validation, naming the kernel', async () => {
    const spec = parseGradingSpec(`version: 1
defaults: { timeout: { cell_s: 30, total_s: 90 } }
files:
  - path: r.ipynb
    questions:
      - id: total
        locate: { cell_id: q }
        checks:
          - { type: output, stream: stdout, match: { numbers: [55] } }
          - { type: source, require: ['sum\\('] }
          - { type: test, code: 'stopifnot(sum(x) == 55)' }
`);
    if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
    const template = new Map([['r.ipynb', rNotebook('# cat() the sum of x')]]);
    const grade = (answer: string) =>
      gradeSubmission(spec.spec, template, new Map([['r.ipynb', rNotebook(answer)]]), {
        jobs: createDockerJobs(connectEngine(podmanSocket)),
        image: inject('notebookImage'),
        uid: 1000,
      });
    expect((await grade('cat(sum(x))')).questions[0]).toMatchObject({ score: 3, status: 'passed' });
    expect((await grade('cat(54)')).questions[0]).toMatchObject({ score: 1, status: 'partial' }); // its test still holds
    const broken = await grade('x <- 0\ncat(54)');
    expect(broken.questions[0]!.checks[2]).toMatchObject({
      passed: false,
      message: expect.stringMatching(/sum\(x\) == 55 is not TRUE/),
    });

    const { validateAgainstTemplate } = await import('../../src/grading/spec/spec-validate.ts');
    const { readDocument } = await import('../../src/grading/index.ts');
    const withValue = parseGradingSpec(`version: 1
files:
  - path: r.ipynb
    questions:
      - id: total
        locate: { cell_id: q }
        checks: [{ type: value, expr: "sum(x)", expect: 55 }]
`);
    if (!withValue.ok) throw new Error('parse');
    const doc = readDocument('r.ipynb', rNotebook(''));
    const problems = validateAgainstTemplate(withValue.spec, () =>
      doc.format === 'binary' ? undefined : doc,
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/value checks run Python; r\.ipynb has another kernel/),
    ]);
  }, 180_000);
});
