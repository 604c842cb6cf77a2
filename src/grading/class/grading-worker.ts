import { randomUUID } from 'node:crypto';
import type { GradeResult } from '../grading.ts';
import type { GradingJob, GradingJobStatus, GradingJobStore } from './grading-job-store.ts';

export interface WorkerOptions {
  store: GradingJobStore;
  runId: string;
  concurrency: number;
  leaseMs?: number;
  /** Grades one job's submission; throws only when the submission could not be had (forge down…). */
  grade: (job: GradingJob) => Promise<GradeResult & { notes: string[] }>;
  onProgress?: (counts: Record<GradingJobStatus, number>) => void;
}

const maxAttempts = 3;

/**
 * Works through one run's jobs, `concurrency` at a time, each leased (and the lease renewed) so that
 * another process takes it up if this one dies; returns when none is left queued or running.
 */
export async function runGradingJobs(o: WorkerOptions): Promise<Record<GradingJobStatus, number>> {
  const owner = randomUUID();
  const leaseMs = o.leaseMs ?? 60_000;
  const active = new Set<Promise<void>>();
  const work = async (job: GradingJob) => {
    const heartbeat = setInterval(() => void o.store.renewLease(job.id, owner, leaseMs), leaseMs / 3);
    try {
      await o.store.finish(job.id, owner, { result: await o.grade(job) });
    } catch (err) {
      const why = (err as Error).message;
      if (job.attempts < maxAttempts) await o.store.release(job.id, owner, why);
      else await o.store.finish(job.id, owner, { error: why });
    } finally {
      clearInterval(heartbeat);
    }
  };
  for (;;) {
    const counts = await o.store.progress(o.runId);
    o.onProgress?.(counts);
    const free = o.concurrency - active.size;
    const jobs = free > 0 ? await o.store.claim(o.runId, owner, free, leaseMs) : [];
    for (const job of jobs) {
      const p = work(job).finally(() => active.delete(p));
      active.add(p);
    }
    if (active.size === 0 && jobs.length === 0) {
      if (counts.queued === 0 && counts.running === 0) return counts;
      await new Promise((r) => setTimeout(r, 1_000)); // running elsewhere, or a lease to run out
      continue;
    }
    await Promise.race([...active, new Promise((r) => setTimeout(r, 1_000))]);
  }
}
