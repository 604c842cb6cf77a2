import { describe, expect, it } from 'vitest';
import { ForgeCallError } from './forge-errors.ts';
import { parseRetryAfter, withRetry } from './retry.ts';

const policy = (delays: number[]) => ({
  attempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  sleep: async (ms: number) => void delays.push(ms),
  random: () => 0.5,
});

const failing = (statuses: Array<{ status: number; retryAfterMs?: number }>) => {
  let i = 0;
  return async () => {
    const next = statuses[i++];
    if (!next) return 'ok';
    throw new ForgeCallError({ call: 'GET /users', description: `status ${next.status}`, ...next });
  };
};

describe('retrying GitLab calls', () => {
  it('waits what Retry-After asks on 429, and backs off with jitter on 502 and network errors', async () => {
    const delays: number[] = [];
    const result = await withRetry(
      'GET /users',
      failing([{ status: 429, retryAfterMs: 3000 }, { status: 502 }, { status: 0 }]),
      policy(delays),
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([3000, 100, 200]); // 0.5 × 200, 0.5 × 400
  });

  it('does not retry a refusal (4xx other than 429)', async () => {
    const delays: number[] = [];
    await expect(withRetry('POST /users', failing([{ status: 409 }]), policy(delays))).rejects.toMatchObject({
      forgeStatus: 409,
    });
    expect(delays).toEqual([]);
  });

  it('gives up after the last attempt with a message naming the call and the attempts', async () => {
    const delays: number[] = [];
    const err = await withRetry('GET /users', failing(Array(10).fill({ status: 503 })), policy(delays)).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe(
      'GitLab call GET /users failed after 4 attempts: GitLab answered 503 (status 503).',
    );
    expect(delays).toHaveLength(3);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(
      parseRetryAfter('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT')),
    ).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
