import { describe, expect, inject, it } from 'vitest';
import { line, num, runBench } from './support/bench-run.ts';

// A change that breaks `npm run bench:forks` fails here: two forks (one clean, one conflicting) checked
// in scratch sandboxes (the test image, Podman) and on host folders.
describe('the fork sync bench', () => {
  it('checks two forks against a template update both ways and prints its figures', async () => {
    expect(inject('notebookImage')).toBeTruthy(); // the bench finds the image the global setup built
    const stdout = await runBench('fork-sync.ts', { BENCH_FORKS: '2' }, 110_000);
    const tally = '\\(1 clean, 1 conflict\\)';
    expect(stdout).toMatch(/^checking 2 forks against a template update, two workers/);
    expect(stdout).toMatch(line('scratch sandboxes', `\\s+\\d+ ms\\s+\\d+ forks/min\\s+${tally}`));
    expect(stdout).toMatch(line('host folder', `\\s+\\d+ ms\\s+\\d+ forks/min\\s+${tally}`));
    expect(stdout).toMatch(line('ratio (sandbox time / host time)', ` ${num}`));
  }, 120_000);
});
