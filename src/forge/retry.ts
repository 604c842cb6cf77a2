import { ForgeCallError } from './forge-errors.ts';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 15_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * Retries a GitLab call on 429, 5xx, timeouts and network errors: waits what Retry-After asks, else
 * exponential backoff with full jitter (spreads 500 learners' retries instead of stampeding together).
 */
export async function withRetry<T>(
  call: string,
  attempt: () => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof ForgeCallError) || !err.retryable) throw err;
      if (i >= policy.attempts) {
        throw new ForgeCallError({
          call,
          status: err.forgeStatus,
          description: err.description,
          attempts: i,
        });
      }
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (i - 1));
      await policy.sleep(err.retryAfterMs ?? Math.round(policy.random() * backoff));
    }
  }
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
