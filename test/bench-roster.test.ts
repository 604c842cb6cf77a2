import { describe, expect, it } from 'vitest';
import { line, num, runBench } from './support/bench-run.ts';

// A change that breaks `npm run bench:roster` fails here: the bench's own code on 5 learners, one round.
describe('the roster bench', () => {
  it('serves a small roster page and CSV and prints its figures', async () => {
    const stdout = await runBench('roster.ts', { BENCH_LEARNERS: '5', BENCH_ROUNDS: '1' }, 50_000);
    expect(stdout).toMatch(/^roster of 5 learners, median of 1 \(server time, in process, SQLite\):/);
    expect(stdout).toMatch(line('HTML page', `\\s+${num} ms \\(${num} KiB\\)\\s+ratio to /healthz \\d+`));
    expect(stdout).toMatch(line('CSV', `\\s+${num} ms \\(${num} KiB\\)`));
    expect(stdout).toMatch(line('/healthz', `\\s+${num} ms`));
  }, 60_000);
});
