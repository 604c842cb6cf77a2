import { describe, expect, inject, it } from 'vitest';
import { podmanSocket } from './support/containers.ts';
import { line, num, runBench } from './support/bench-run.ts';

// A change that breaks `npm run bench:grade` fails here: one submission graded in a sandbox (the test
// image, Podman) and run once with nbclient on the host.
describe('the grading bench', () => {
  it('grades a submission in a sandbox, runs it on the host and prints its figures', async () => {
    expect(inject('notebookImage')).toBeTruthy(); // the bench finds the image the global setup built
    const stdout = await runBench(
      'grade.ts',
      { BENCH_SUBMISSIONS: '1', BENCH_CONCURRENCY: '1', DOCKER_SOCKET: podmanSocket },
      110_000,
    );
    expect(stdout).toMatch(
      /^grading 1 submissions of a 20-cell notebook \(5 questions, 10 checks\), 1 at once/,
    );
    expect(stdout).toMatch(
      line('sandboxed (fresh container each)', `\\s+${num} submissions/min, p50 ${num} s, p95 ${num} s`),
    );
    expect(stdout).toMatch(
      line('nbclient on the host, no sandbox', `\\s+${num} notebooks/min, p50 ${num} s \\(1 runs\\)`),
    );
    // The first submission answers four questions of five right: 8 of 10 checks.
    expect(stdout).toMatch(
      line('ratio sandboxed / unsandboxed time per submission:', ` ${num}\\s+\\(mean score 8\\.00 of 10\\)`),
    );
  }, 120_000);
});
