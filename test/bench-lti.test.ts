import { describe, expect, it } from 'vitest';
import { line, num, runBench } from './support/bench-run.ts';

// A change that breaks `npm run bench:lti` fails here: the bench's own code on 20 launches of each kind.
describe('the LTI launch bench', () => {
  it('launches a few learners through LTI 1.1 and 1.3, accepts them all and prints its figures', async () => {
    const stdout = await runBench('lti-launch.ts', { BENCH_LAUNCHES: '20' }, 50_000);
    const rate = `\\s+${num} /s\\s+${num} ms`;
    expect(stdout).toMatch(/^labgate bench: LTI 1.1 launches, 20 signed launches/);
    expect(stdout).toMatch(line('verified launch (signature, nonce, user, course, session)', rate));
    expect(stdout).toMatch(
      line('verified LTI 1.3 launch (login + id_token), platform signing excluded', rate),
    );
    expect(stdout).toMatch(line('reference: fastify GET /healthz', rate));
    expect(stdout).toMatch(line('reference: one HMAC-SHA1 signature', rate));
    expect(stdout).toMatch(/accepted: 20\/20 LTI 1\.1, 20\/20 LTI 1\.3 launches/);
    expect(stdout).toMatch(line('ratio launch/healthz:', `\\s+${num}`));
    expect(stdout).toMatch(line('ratio launch/hmac:', `\\s+${num}`));
    expect(stdout).toMatch(line('ratio LTI 1.3/LTI 1.1:', `\\s+${num}`));
  }, 60_000);
});
