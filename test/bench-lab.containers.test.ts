import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

// A change that breaks `npm run bench:lab` fails here: one round, a real launch, the lab image, chromium.
describe('the JupyterLab-in-the-browser bench', () => {
  it('times JupyterLab through labgate and direct and prints its figures', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/lab-browser.ts'],
      {
        cwd: root,
        env: { ...process.env, BENCH_ROUNDS: '1', BENCH_IMAGE: inject('labImage'), BENCH_LINK: '' },
        timeout: 400_000,
      },
    );
    expect(stdout).toMatch(
      /^JupyterLab through labgate vs direct: \S+, 1 round\(s\), medians, loopback; load average [\d.]+ → [\d.]+ on \d+ cores$/m,
    );
    for (const load of ['usable JupyterLab', 'open notebook, idle kernel'])
      for (const cache of ['cold', 'warm'])
        expect(stdout).toMatch(
          new RegExp(`^  ${load}, ${cache} cache +[\\d,]+ ms +[\\d,]+ ms +[\\d.]+$`, 'm'),
        );
    const network = (via: string, load: string, cache: string) => {
      const line = new RegExp(
        `^  ${via}, ${load}, ${cache} +(\\d+) requests, (\\d+) from cache, (\\d+) 304, [\\d.]+ MB / [\\d.]+ MB$`,
        'm',
      ).exec(stdout);
      expect(line, `${via}, ${load}, ${cache}`).not.toBeNull();
      const [requests, fromCache, revalidated] = line!.slice(1).map(Number) as [number, number, number];
      return { requests, fromCache, revalidated };
    };
    for (const via of ['through labgate', 'direct'])
      for (const load of ['usable JupyterLab', 'open notebook, idle kernel']) {
        expect(network(via, load, 'cold').fromCache).toBe(0);
        // The image's content-hashed bundles are immutable: a second load takes them from the cache.
        const warm = network(via, load, 'warm');
        expect(warm.fromCache).toBeGreaterThan(warm.requests / 2);
      }
    expect(stdout).toMatch(
      /^first launch, click → notebook open with an idle kernel \(1 learner\(s\)\): median [\d,]+ ms — target ≤ 3 s (met|NOT met)$/m,
    );
    expect(stdout).toMatch(
      /^target: returning launch \(warm cache\) within 1\.2× of direct — (met|NOT met) \(usable JupyterLab [\d.]+×, open notebook [\d.]+×\)$/m,
    );
  }, 420_000);
});
