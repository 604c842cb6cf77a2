import { randomUUID } from 'node:crypto';
import { liteVersion } from './server-info.ts';

/** Test knobs for hook deliveries, as a busy Sidekiq or a flaky receiver makes them. */
export interface HookKnobs {
  /** Each delivery waits this long before its first attempt (Sidekiq's queue latency). */
  hookDelayMs: number;
  /** The next N deliveries arrive twice: same Idempotency-Key, new X-Gitlab-Webhook-UUID (a timed-out retry). */
  hookDuplicateNext: number;
  /** The next N deliveries are lost: never sent nor retried (a dropped job, a receiver down all along). */
  hookDropNext: number;
  /** The next N attempts fail without reaching the receiver, as a network error would; each is retried. */
  hookFailNext: number;
  /** Attempts after a failed first one (WebHookWorker's `retry: 4`). */
  hookRetries: number;
  /** The first retry waits this long, each next one twice as long. */
  hookRetryDelayMs: number;
  /** `gitlab_rails['webhook_timeout']`. */
  hookTimeoutMs: number;
}

export const defaultHookKnobs: HookKnobs = {
  hookDelayMs: 0,
  hookDuplicateNext: 0,
  hookDropNext: 0,
  hookFailNext: 0,
  hookRetries: 4,
  hookRetryDelayMs: 1000,
  hookTimeoutMs: 10_000,
};

export interface Delivery {
  url: string;
  token: string | null;
  /** `Push Hook` or `Tag Push Hook`. */
  event: string;
  /** Shared by every delivery one push fires (GitLab's recursion-detection UUID). */
  eventUuid: string;
  /** Built once, off the push's path: a body takes a few git reads. */
  body: () => Promise<unknown>;
  /** Refused at send time, as GitLab's UrlBlocker checks each request. */
  blocked: () => Promise<boolean>;
}

export interface DeliveryAttempt {
  url: string;
  idempotencyKey: string;
  attempt: number;
  /** The receiver's status, 0 for no answer (network error, timeout, injected failure). */
  status: number;
}

/** WebHookWorker: posts each delivery in the background, retrying failures with backoff. */
export function createHookDispatcher(o: { knobs: HookKnobs; instanceUrl: () => string }) {
  const k = o.knobs;
  const timers = new Map<NodeJS.Timeout, () => void>();
  const controllers = new Set<AbortController>();
  const attempts: DeliveryAttempt[] = [];
  let pending = 0;
  let waiters: Array<() => void> = [];
  let stopped = false;

  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || stopped) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });

  async function post(d: Delivery, key: string, body: string): Promise<number> {
    if (k.hookFailNext > 0) {
      k.hookFailNext--;
      return 0;
    }
    const controller = new AbortController();
    controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), k.hookTimeoutMs);
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        body,
        signal: controller.signal,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': `GitLab/${liteVersion}`,
          'Idempotency-Key': key,
          'X-Gitlab-Event': d.event,
          'X-Gitlab-Webhook-UUID': randomUUID(),
          'X-Gitlab-Instance': o.instanceUrl(),
          'X-Gitlab-Event-UUID': d.eventUuid,
          ...(d.token ? { 'X-Gitlab-Token': d.token.replace(/[\r\n]/g, '') } : {}),
        },
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch {
      return 0;
    } finally {
      clearTimeout(timer);
      controllers.delete(controller);
    }
  }

  async function run(d: Delivery) {
    await later(k.hookDelayMs);
    if (stopped || (await d.blocked())) return;
    if (k.hookDropNext > 0) return void k.hookDropNext--;
    const key = randomUUID();
    const body = JSON.stringify(await d.body());
    const copies = k.hookDuplicateNext > 0 ? (k.hookDuplicateNext--, 2) : 1;
    for (let copy = 0; copy < copies; copy++) {
      for (let attempt = 1; !stopped; attempt++) {
        const status = await post(d, key, body);
        attempts.push({ url: d.url, idempotencyKey: key, attempt, status });
        if (attempts.length > 200) attempts.shift();
        if ((status >= 200 && status < 300) || attempt > k.hookRetries) break;
        await later(k.hookRetryDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  return {
    /** Queues a delivery; the caller never waits for it. */
    deliver(d: Delivery) {
      if (stopped) return;
      pending++;
      void run(d)
        .catch((err: unknown) => console.error('gitlab-lite: a hook delivery failed to run', err))
        .finally(() => {
          if (--pending > 0) return;
          for (const w of waiters) w();
          waiters = [];
        });
    },
    /** The last attempts, newest last (for tests and diagnostics). */
    attempts: () => [...attempts],
    /** Resolves once no delivery is queued, waiting or in flight. */
    settled: () => (pending === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    stop() {
      stopped = true;
      for (const [t, resolve] of timers) {
        clearTimeout(t);
        resolve();
      }
      for (const c of controllers) c.abort();
      for (const w of waiters) w();
      waiters = [];
    },
  };
}

export type HookDispatcher = ReturnType<typeof createHookDispatcher>;
