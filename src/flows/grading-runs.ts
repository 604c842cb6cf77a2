import type { Assignment } from '../courses/index.ts';
import type { ClassGrading } from './class-grading.ts';

/** A class grading a grader started from the web, as its progress shows it. */
export interface GradingRun {
  total: number;
  done: number;
  failed: number;
  /** Learners with no commit to grade. */
  unsubmitted: number;
  startedAt: number;
  finishedAt: number | undefined;
  error: string | undefined;
}

export interface GradingRunsDeps {
  grading: Pick<ClassGrading, 'gradeClass'>;
  concurrency: number;
  /** Told when a run ends (the grades can be refreshed, feedback re-delivered). */
  onFinished?: (a: Assignment) => Promise<void> | void;
  onError: (err: unknown, what: string) => void;
  now?: () => number;
}

/**
 * Grading a class from the grader's desk: one run at a time per assignment, in the background, its
 * progress kept for the page to poll. Each learner's submission is the one class grading picks (the
 * commit recorded at their deadline, else their newest); grading the same commits again is free.
 */
export function createGradingRuns(d: GradingRunsDeps) {
  const now = d.now ?? Date.now;
  const runs = new Map<string, GradingRun>();
  const running = new Map<string, Promise<void>>();

  function start(a: Assignment): GradingRun {
    const current = runs.get(a.id);
    if (current && running.has(a.id)) return current;
    const run: GradingRun = {
      total: 0,
      done: 0,
      failed: 0,
      unsubmitted: 0,
      startedAt: now(),
      finishedAt: undefined,
      error: undefined,
    };
    runs.set(a.id, run);
    const job = d.grading
      .gradeClass({
        courseId: a.courseId,
        slug: a.slug,
        concurrency: d.concurrency,
        onProgress: (p) => Object.assign(run, p),
      })
      .then(async (r) => {
        Object.assign(run, {
          done: r.counts.done,
          failed: r.counts.failed,
          unsubmitted: r.unsubmitted.length,
        });
        await d.onFinished?.(a);
      })
      .catch((err: unknown) => {
        run.error = err instanceof Error ? err.message : String(err);
        d.onError(err, `grading ${a.courseId}/${a.slug}`);
      })
      .finally(() => {
        run.finishedAt = now();
        running.delete(a.id);
      });
    running.set(a.id, job);
    return run;
  }

  return {
    start,
    run: (assignmentId: string) => runs.get(assignmentId),
    /** Resolves when the assignment's run (or every run) ends. */
    settled: async (assignmentId?: string) => {
      await Promise.allSettled(assignmentId ? [running.get(assignmentId)] : [...running.values()]);
    },
  };
}

export type GradingRuns = ReturnType<typeof createGradingRuns>;
