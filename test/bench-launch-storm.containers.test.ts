import { describe, expect, inject, it } from 'vitest';
import { line, num, runBench } from './support/bench-run.ts';

// A change that breaks `npm run bench:storm` fails here: two replicas on PostgreSQL behind the proxy,
// two learners one after another on one of them, then six over 3 s, the first two with a workspace.
describe('the launch storm bench', () => {
  it('launches learners through two replicas, counts refusals apart from errors and prints its figures', async () => {
    expect(inject('notebookImage')).toBeTruthy(); // the bench finds the image the global setup built
    const stdout = await runBench(
      'launch-storm.ts',
      {
        BENCH_LEARNERS: '6',
        BENCH_SECONDS: '3',
        BENCH_WORKSPACES: '2',
        BENCH_REFERENCE_LEARNERS: '2',
        BENCH_WAIT_SECONDS: '60',
      },
      85_000,
    );
    const times = (label: string, n: number) =>
      line(`  ${label}`, `\\s+p50 ${num} s  p95 ${num} s  max ${num} s  \\(${n}\\)`);
    const [reference, storm] = stdout.split(/^storm: /m) as [string, string];
    expect(reference).toMatch(/^reference: 2 learners one after another, one replica$/m);
    expect(reference).toMatch(times('signed in', 2));
    expect(reference).toMatch(times('finished fork', 2));
    expect(reference).toMatch(times('workspace running', 2));
    // One replica ran every launch and served every progress stream: each says where its time went.
    expect(reference).toMatch(
      new RegExp(
        `^ {2}phases, p50 of 2 launches: fork ${num} s \\(ends at ${num} s\\), container ${num} s`,
        'm',
      ),
    );
    expect(reference).toMatch(/^ {2}errors: 0$/m);
    expect(reference).toMatch(/^ {2}launches served: replica 1 2, replica 2 0$/m);

    expect(storm).toMatch(/^6 learners over 3 s, two replicas behind a round-robin proxy$/m);
    expect(storm).toMatch(times('signed in', 6));
    expect(storm).toMatch(times('finished fork', 6));
    expect(storm).toMatch(times('workspace running', 2));
    expect(storm).toMatch(/^ {2}refused, server full: 4$/m);
    expect(storm).toMatch(/^ {2}errors: 0$/m);
    // Both replicas answered the storm's requests; its six LTI POSTs went to one or the other.
    const served = /^ {2}requests served: replica 1 (\d+), replica 2 (\d+)$/m.exec(storm);
    expect(Math.min(Number(served![1]), Number(served![2]))).toBeGreaterThan(0);
    const launches = /^ {2}launches served: replica 1 (\d+), replica 2 (\d+)$/m.exec(storm);
    expect(Number(launches![1]) + Number(launches![2])).toBe(6);
    expect(storm).toMatch(
      line(
        'ratios, storm / reference:',
        ` signed in p50 ${num}×, finished fork p50 ${num}×, workspace running p50 ${num}×; learners/min ${num}×`,
      ),
    );
  }, 90_000);
});
