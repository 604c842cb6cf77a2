import { describe, expect, inject, it } from 'vitest';
import { line, num, runBench } from './support/bench-run.ts';

// A change that breaks `npm run bench:launch` fails here: one learner's first launch in a real container
// (the test image, Podman), then the proxy measured for half a second each way.
describe('the first-launch bench', () => {
  it('launches a learner into a container, measures the proxy and prints its figures', async () => {
    expect(inject('notebookImage')).toBeTruthy(); // the bench finds the image the global setup built
    const stdout = await runBench('launch.ts', { BENCH_LEARNERS: '1', BENCH_PROXY_SECONDS: '0.5' }, 110_000);
    expect(stdout).toMatch(/^first launch, 1 learners at once/m);
    expect(stdout).toMatch(new RegExp(`p50 ${num} s\\s+p95 ${num} s`));
    expect(stdout).toMatch(
      new RegExp(
        `phases, p50: fork ${num} s \\(ends at ${num} s\\), container ${num} s .*; ready p50 ${num} s`,
      ),
    );
    expect(stdout).toMatch(
      new RegExp(
        `machine CPU busy ${num}% of \\d+ cores: ${num} CPU-s in ${num} s, ${num} CPU-s per learner`,
      ),
    );
    // Jupyter Server's start runs in the learner's container: its cgroup's CPU is counted.
    const split = new RegExp(
      `CPU-s per learner: workspace containers (${num}), labgate and its forge \\(this process\\) ${num}, the engine's service ${num}, the rest -?${num}`,
    ).exec(stdout);
    expect(Number(split?.[1])).toBeGreaterThan(0.05);
    expect(stdout).toMatch(
      line('proxy:', ` ${num} req/s through labgate, ${num} req/s straight to the container: ratio ${num}`),
    );
  }, 120_000);

  it('launches learners from a warm pool (one from the pool, one cold) and prints the pool line', async () => {
    const stdout = await runBench(
      'launch.ts',
      { BENCH_LEARNERS: '2', BENCH_WARM_POOL: '1', BENCH_PROXY_SECONDS: '0.2' },
      110_000,
    );
    expect(stdout).toMatch(new RegExp(`^warm pool: 1 of 1 started in ${num} s`, 'm'));
    expect(stdout).toMatch(/^first launch, 2 learners at once, warm pool of 1 /m);
    expect(stdout).toMatch(new RegExp(`ready p50 ${num} s`));
  }, 120_000);
});
