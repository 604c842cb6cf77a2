import { describe, expect, it } from 'vitest';
import { line, num, runBench } from './support/bench-run.ts';

// A change that breaks `npm run bench:provision` fails here: one learner, then two at once (forks take 0.5–1.5 s).
describe('the provisioning bench', () => {
  it('provisions a few learners against gitlab-lite and prints its figures', async () => {
    const stdout = await runBench(
      'provision.ts',
      { BENCH_LEARNERS: '2', BENCH_REFERENCE_LEARNERS: '1', BENCH_CONCURRENCY: '2' },
      50_000,
    );
    const figures = `\\s+${num}/min\\s+p50 ${num} s\\s+p95 ${num} s\\s+failed 0`;
    expect(stdout).toMatch(line('reference: one learner after another', `\\s+1 learners${figures}`));
    expect(stdout).toMatch(line('2 at once, concurrency 2', `\\s+2 learners${figures}`));
    expect(stdout).toMatch(line('throughput ratio (burst / reference):', ` ${num}×`));
  }, 60_000);
});
