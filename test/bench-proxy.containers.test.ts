import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

// A change that breaks `npm run bench:proxy` fails here: one learner launched in Podman, a second each way.
describe('the workspace proxy bench', () => {
  it('launches a workspace, measures both ways and prints its figures', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/proxy.ts'], {
      cwd: root,
      env: { ...process.env, BENCH_SECONDS: '1', BENCH_MESSAGES: '20' },
      timeout: 280_000,
    });
    expect(stdout).toMatch(/^GET \/user\/<id>\/api\/status, 8 at once, 1 s each way in alternating slices:/m);
    expect(stdout).toMatch(/straight to the container\s+\d+ req\/s/);
    expect(stdout).toMatch(/through labgate\s+\d+ req\/s/);
    expect(stdout).toMatch(/ratio [\d.]+ \(target ≥ 0\.90: (met|NOT met)\)/);
    expect(stdout).toMatch(/labgate's CPU per proxied request \d+ µs/);
    expect(stdout).toMatch(/kernel_info round trips on the kernel's WebSocket, 20 each way one at a time/);
    const trips = /p50 [\d.]+ ms\s+p99 [\d.]+ ms/g;
    expect(stdout.match(trips)).toHaveLength(2);
    expect(stdout).toMatch(/added p99 latency -?[\d.]+ ms \(target < 5 ms: (met|NOT met)\)/);
  }, 300_000);
});
