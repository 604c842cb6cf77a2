import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

// A change that breaks `npm run bench:review` fails here: the bench's own code on 20 cells, one round.
describe('the review page bench', () => {
  it('runs on a small notebook and prints its figures', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/review-page.ts'],
      { cwd: root, env: { ...process.env, BENCH_CELLS: '20', BENCH_ROUNDS: '1' }, timeout: 110_000 },
    );
    const figure = (label: string) =>
      new RegExp(`${label.replace(/[()+/]/g, '\\$&')}\\s+median\\s+[\\d.]+ ms\\s+p95\\s+[\\d.]+ ms`);
    expect(stdout).toMatch(/^20-cell pair/);
    expect(stdout).toMatch(figure('review page (diff + render)'));
    expect(stdout).toMatch(/\d+ cell sections, \d+\/\d+ question panels beside their cells; page [\d.]+ MB/);
    expect(stdout).toMatch(/cold \(archives not cached yet\)\s+[\d.]+ ms/);
    expect(stdout).toMatch(figure('warm (1 runs)'));
    expect(stdout).toMatch(figure('/healthz (trivial route)'));
    expect(stdout).toMatch(/whole page \/ \(diff \+ render\) \(medians\) = [\d.]+/);
    expect(stdout).toMatch(/whole page \/ \/healthz \(medians\) = \d+/);
    expect(stdout).toMatch(/target: whole page under 500 ms — (met|NOT met)/);
  }, 120_000);
});
