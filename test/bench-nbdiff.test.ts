import { describe, expect, it } from 'vitest';
import { line, num, runBench } from './support/bench-run.ts';

// A change that breaks `npm run bench:nbdiff` fails here. The bench at its own size takes ~2 s: no knobs.
describe('the notebook diff bench', () => {
  it('diffs its notebooks with and without cell ids and prints its figures', async () => {
    const stdout = await runBench('nbdiff.ts', {}, 50_000);
    const summary = '\\(\\d+ modified, \\d+ added, \\d+ removed, \\d+ moved\\)';
    for (const heading of ['with cell ids:', 'without cell ids (aligned by content):']) {
      const section = stdout.slice(stdout.indexOf(heading));
      expect(stdout).toContain(heading);
      for (const n of [100, 400, 1000, 4000])
        expect(section).toMatch(new RegExp(`^\\s+${n} cells\\s+${num} ms\\s+${summary}`, 'm'));
      expect(section).toMatch(line('time(400)/time(100)', `\\s+= ${num}  \\(4 is linear, 16 quadratic\\)`));
      expect(section).toMatch(line('time(4000)/time(1000)', `\\s+= ${num}`));
    }
    expect(stdout).toMatch(new RegExp(`^2,000 cells, 5% edited: ${num} ms ${summary}`, 'm'));
  }, 60_000);
});
