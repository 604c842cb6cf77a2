import { describe, expect, inject, it } from 'vitest';
import { num, runBench } from './support/bench-run.ts';

// A change that breaks `npm run bench:git` fails here: one round of each button in a learner's container
// (the test image, Podman) and with the reference commit's gitops on a host folder.
describe('the git buttons bench', () => {
  it('runs Status, Commit & push and Pull once each way and prints its figures', async () => {
    expect(inject('notebookImage')).toBeTruthy(); // the bench finds the image the global setup built
    const stdout = await runBench('git-buttons.ts', { BENCH_ROUNDS: '1' }, 110_000);
    expect(stdout).toMatch(/^git buttons on the demo notebook, median of 1 /m);
    for (const op of ['status', 'commit', 'pull'])
      expect(stdout).toMatch(
        new RegExp(`^\\s+${op}\\s+sandbox\\s+\\d+ ms\\s+reference\\s+\\d+ ms\\s+ratio ${num}$`, 'm'),
      );
  }, 120_000);
});
