import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Db } from '../../db/index.ts';
import { isAppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { Forge } from '../forge.ts';
import { ForgeCallError } from '../forge-errors.ts';
import type { Provisioning, ProvisionSpec } from './provisioning-model.ts';
import { provisionErrors } from './provisioning-errors.ts';
import { steps, type StepResult } from './provisioning-steps.ts';
import { ensureCourseGroup } from '../course-group.ts';
import { createProvisioningStore } from './provisioning-store.ts';

export interface ProvisionerOptions {
  /** Jobs worked on at once by this process; waits for GitLab's forks do not count. */
  concurrency: number;
  /** How long a claimed job stays this process's without a heartbeat; after a crash, others wait this long. */
  leaseMs: number;
  pollMs: number;
  rootGroupPath: string;
  forkTimeoutMs: number;
  /** Transient GitLab failures in a row before the job stops and asks for a relaunch. */
  maxAttempts: number;
}

export const defaultProvisionerOptions: ProvisionerOptions = {
  concurrency: 8,
  leaseMs: 30_000,
  pollMs: 1_000,
  rootGroupPath: 'labgate',
  forkTimeoutMs: 10 * 60_000,
  maxAttempts: 10,
};

const backoffMs = (attempts: number, random: () => number) =>
  Math.round(random() * Math.min(60_000, 1_000 * 2 ** attempts));

/**
 * Runs provisioning jobs from the database: bounded concurrency, a lease per job renewed while it runs
 * (so a crashed process's jobs are taken up by the next one), and an event per change for progress pages.
 */
export function createProvisioner(deps: {
  db: Db;
  forge: Forge;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
  random?: () => number;
  options?: Partial<ProvisionerOptions>;
}) {
  const o = { ...defaultProvisionerOptions, ...deps.options };
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const store = createProvisioningStore(deps.db, now, deps.forge.url);
  const owner = randomUUID();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const active = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let ticking = false;

  const publish = async (id: string) => {
    const job = await store.get(id);
    if (job) {
      events.emit(id, job);
      events.emit('change', job);
    }
  };

  async function runStep(job: Provisioning): Promise<StepResult> {
    const step = steps[job.step as keyof typeof steps];
    const heartbeat = setInterval(() => void store.renewLease(job.id, owner, o.leaseMs), o.leaseMs / 3);
    try {
      return await step({
        forge: deps.forge,
        spec: job.spec,
        state: job.state,
        now,
        rootGroupPath: o.rootGroupPath,
        forkTimeoutMs: o.forkTimeoutMs,
        courseGroups: { find: store.courseGroup, remember: store.rememberCourseGroup },
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function fail(job: Provisioning, err: unknown): Promise<boolean> {
    const transient = err instanceof ForgeCallError && err.retryable;
    const attempts = job.attempts + 1;
    if (transient && attempts < o.maxAttempts) {
      deps.log.warn(
        { job: job.id, step: job.step, attempts, err: err.message },
        'provisioning step will retry',
      );
      return store.save(job.id, owner, {
        status: 'queued',
        step: job.step,
        state: job.state,
        attempts,
        nextRunAt: now() + backoffMs(attempts, random),
        error: { code: err.code, message: err.message },
      });
    }
    const final = transient ? provisionErrors.gaveUp(attempts, (err as Error).message) : err;
    const error = isAppError(final)
      ? { code: final.code, message: final.hint ? `${final.message} ${final.hint}` : final.message }
      : { code: 'PROVISION_BUG', message: `labgate failed unexpectedly: ${(final as Error).message}` };
    deps.log.error(
      { job: job.id, step: job.step, code: error.code, err: error.message },
      'provisioning failed',
    );
    return store.save(job.id, owner, { status: 'failed', step: job.step, state: job.state, attempts, error });
  }

  /** Runs one claimed job step by step until it is done, failed, waiting, or no longer ours. */
  async function work(claimed: Provisioning) {
    let job = claimed;
    while (job.step !== 'done') {
      let result: StepResult;
      try {
        result = await runStep(job);
      } catch (err) {
        await fail(job, err);
        return publish(job.id);
      }
      const waiting = result.waitMs !== undefined;
      const finished = result.next === 'done';
      const kept = await store.save(job.id, owner, {
        status: finished ? 'done' : waiting ? 'queued' : 'running',
        step: result.next,
        state: result.state,
        attempts: 0,
        error: null,
        leaseUntil: now() + o.leaseMs,
        ...(waiting ? { nextRunAt: now() + result.waitMs! } : {}),
      });
      await publish(job.id);
      if (!kept) {
        deps.log.warn({ job: job.id }, 'provisioning job was taken over by another process');
        return;
      }
      if (finished) deps.log.info({ job: job.id, kind: job.kind }, 'provisioning done');
      if (waiting) wakeAfter(result.waitMs!);
      if (waiting || finished) return;
      job = { ...job, step: result.next, state: result.state, attempts: 0 };
    }
  }

  async function tick() {
    if (stopped || ticking) return;
    ticking = true;
    try {
      const free = o.concurrency - active.size;
      if (free <= 0) return;
      for (const job of await store.claim(owner, free, o.leaseMs)) {
        const run = work(job)
          .catch((err: unknown) => deps.log.error({ err, job: job.id }, 'provisioning worker crashed'))
          .finally(() => {
            active.delete(run);
            kick();
          });
        active.add(run);
      }
    } catch (err) {
      deps.log.error({ err }, 'provisioning could not read its queue');
    } finally {
      ticking = false;
    }
  }

  const kick = () => void tick();
  const wakeAfter = (ms: number) => {
    const wake = setTimeout(kick, ms + 5);
    wake.unref();
  };

  return {
    /** Queues (or finds) the job for this person, and wakes the workers. */
    async provision(userId: string, spec: ProvisionSpec): Promise<Provisioning> {
      const job = await store.enqueue(userId, spec);
      if (job.status === 'queued') kick();
      return job;
    },
    get: store.get,
    listForUser: store.listForUser,
    listForks: store.listForks,
    /** The course's group in the forge, made on first need (as a first launch would). */
    ensureCourseGroup: (course: { id: string; path: string; name: string }) =>
      ensureCourseGroup(deps.forge, o.rootGroupPath, course, {
        find: store.courseGroup,
        remember: store.rememberCourseGroup,
      }),
    countByStatus: store.countByStatus,
    /** Calls `listener` with the job at every change; returns the unsubscribe function. */
    subscribe(id: string | 'change', listener: (job: Provisioning) => void) {
      events.on(id, listener);
      return () => void events.off(id, listener);
    },
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(kick, o.pollMs);
      kick();
    },
    /** Stops taking jobs and waits for the ones running; their leases lapse if this process dies instead. */
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.allSettled([...active]);
    },
  };
}

export type Provisioner = ReturnType<typeof createProvisioner>;
