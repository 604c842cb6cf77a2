import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootToken, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';

let t: TestGitlab;

beforeAll(async () => {
  t = await startTestGitlab();
});
afterAll(async () => t.close());

const me = () => fetch(`${t.lite.url}/api/v4/user`, { headers: { 'private-token': rootToken } });

describe('gitlab-lite traffic knobs', () => {
  it('throttles the next requests like Rack::Attack: 429, text/plain "Retry later", Retry-After', async () => {
    t.lite.knobs.throttleNext = 2;
    t.lite.knobs.retryAfterSeconds = 7;
    for (let i = 0; i < 2; i++) {
      const res = await me();
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(await res.text()).toBe('Retry later\n');
    }
    expect((await me()).status).toBe(200);
  });

  it('answers 502 once when asked, then recovers', async () => {
    t.lite.knobs.badGatewayNext = 1;
    expect((await me()).status).toBe(502);
    expect((await me()).status).toBe(200);
  });

  it('slows every API answer down by the configured delay', async () => {
    t.lite.knobs.responseDelayMs = 150;
    const started = performance.now();
    await me();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    t.lite.knobs.responseDelayMs = 0;
  });
});
