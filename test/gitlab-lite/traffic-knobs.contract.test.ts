import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabLite } from '../../gitlab-lite/index.ts';

const rootToken = 'root-token-for-tests';
let lite: Awaited<ReturnType<typeof startGitlabLite>>;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'gitlab-lite-'));
  lite = await startGitlabLite({ port: 0, dataDir, rootToken });
});
afterAll(async () => {
  await lite.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const me = () => fetch(`${lite.url}/api/v4/user`, { headers: { 'private-token': rootToken } });

describe('gitlab-lite traffic knobs', () => {
  it('throttles the next requests like Rack::Attack: 429, text/plain "Retry later", Retry-After', async () => {
    lite.knobs.throttleNext = 2;
    lite.knobs.retryAfterSeconds = 7;
    for (let i = 0; i < 2; i++) {
      const res = await me();
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(await res.text()).toBe('Retry later\n');
    }
    expect((await me()).status).toBe(200);
  });

  it('answers 502 once when asked, then recovers', async () => {
    lite.knobs.badGatewayNext = 1;
    expect((await me()).status).toBe(502);
    expect((await me()).status).toBe(200);
  });

  it('slows every API answer down by the configured delay', async () => {
    lite.knobs.responseDelayMs = 150;
    const started = performance.now();
    await me();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    lite.knobs.responseDelayMs = 0;
  });
});
