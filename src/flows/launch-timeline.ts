/** The phases of a launch, which overlap: the container starts while the fork is still being made. */
export const launchPhases = ['fork', 'container', 'server', 'clone', 'page'] as const;
export type LaunchPhase = (typeof launchPhases)[number];

/** One phase: when it began and ended, in milliseconds since the launch was asked for. */
export interface PhaseSpan {
  phase: LaunchPhase;
  startMs: number;
  endMs?: number;
}

export interface LaunchTimeline {
  phases: PhaseSpan[];
  /** Until Jupyter answered with the learner's files in place. */
  readyMs?: number;
}

/**
 * Where a launch's seconds go: each phase timed as it runs, for the log line written once it is
 * ready and for the progress page's bars.
 */
export function startTimeline(now: () => number = () => performance.now()) {
  const t0 = now();
  const spans: PhaseSpan[] = [];
  let readyMs: number | undefined;
  let entered = false;
  const since = () => Math.round(now() - t0);
  return {
    async time<T>(phase: LaunchPhase, work: () => Promise<T>): Promise<T> {
      const span: PhaseSpan = { phase, startMs: since() };
      spans.push(span);
      try {
        return await work();
      } finally {
        span.endMs = since();
      }
    },
    /** The first page through the proxy: from ready to the learner's browser asking for it. */
    entered() {
      // Asked on every proxied request: two comparisons until the first page, one after.
      if (entered || readyMs === undefined) return false;
      entered = true;
      spans.push({ phase: 'page', startMs: readyMs, endMs: since() });
      return true;
    },
    ready() {
      readyMs = since();
    },
    snapshot(): LaunchTimeline {
      return { phases: spans.map((s) => ({ ...s })), ...(readyMs === undefined ? {} : { readyMs }) };
    },
  };
}

export type TimelineClock = ReturnType<typeof startTimeline>;

/** The phases as `{ fork: 812, container: 640, … }` (durations in ms) for a structured log line. */
export function phaseDurations(t: LaunchTimeline): Partial<Record<LaunchPhase, number>> {
  const out: Partial<Record<LaunchPhase, number>> = {};
  for (const s of t.phases) if (s.endMs !== undefined) out[s.phase] = s.endMs - s.startMs;
  return out;
}
