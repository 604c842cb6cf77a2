/** The launch storm's figures: per-learner times, errors by kind, refusals, and how long the run took. */
import type { LaunchTimeline, LearnerResult } from './storm-learner.ts';

export interface ForkRow {
  status: string;
  finishedAt: number | null;
  errorCode: string | null;
  attempts: number;
}

export function summarize(results: LearnerResult[], forks: Map<string, ForkRow>) {
  const signedIn: number[] = [];
  const forked: number[] = [];
  const running: number[] = [];
  const timelines: LaunchTimeline[] = [];
  let retried = 0;
  const errors = new Map<string, number>();
  let refused = 0;
  let learnersWithErrors = 0;
  let lastDone = 0;
  for (const r of results) {
    const kinds = r.error ? [r.error] : [];
    if (r.signedInMs !== undefined) signedIn.push(r.signedInMs);
    if (r.workspace?.kind === 'running') running.push(r.workspace.ms);
    if (r.workspace?.kind === 'running' && r.workspace.timeline) timelines.push(r.workspace.timeline);
    if (r.workspace?.kind === 'refused') refused++;
    const fork = r.workspaceId ? forks.get(r.workspaceId) : undefined;
    let forkMs: number | undefined;
    if (fork && fork.attempts > 1) retried++;
    if (fork?.status === 'done' && fork.finishedAt) forked.push((forkMs = fork.finishedAt - r.postedAt));
    else if (fork?.status === 'failed') kinds.push(`fork failed: ${fork.errorCode ?? 'no code'}`);
    else if (r.workspaceId) kinds.push('fork not finished in time');
    for (const kind of kinds) errors.set(kind, (errors.get(kind) ?? 0) + 1);
    if (kinds.length) learnersWithErrors++;
    const workspaceMs = r.workspace?.kind === 'running' ? r.workspace.ms : 0;
    lastDone = Math.max(lastDone, r.postedAt + Math.max(r.signedInMs ?? 0, forkMs ?? 0, workspaceMs));
  }
  const firstPost = Math.min(...results.map((r) => r.postedAt));
  const tookMs = lastDone - firstPost;
  return {
    learners: results.length,
    signedIn,
    forked,
    running,
    timelines,
    retried,
    refused,
    errors,
    learnersWithErrors,
    tookMs,
    perMinute: (forked.length / tookMs) * 60_000,
  };
}

export type Summary = ReturnType<typeof summarize>;

export const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const s = (ms: number) => (ms / 1000).toFixed(2);

function times(label: string, xs: number[]) {
  if (!xs.length) return `  ${label.padEnd(18)} none`;
  return `  ${label.padEnd(18)} p50 ${s(percentile(xs, 0.5))} s  p95 ${s(percentile(xs, 0.95))} s  max ${s(Math.max(...xs))} s  (${xs.length})`;
}

/** Where workspace launches spent their time (the phases overlap: the container starts during the fork). */
function phases(timelines: LaunchTimeline[]) {
  const cells = ['fork', 'container', 'server', 'clone'].flatMap((phase) => {
    const spans = timelines.flatMap((t) =>
      t.phases.filter((p) => p.phase === phase && p.endMs !== undefined),
    );
    if (!spans.length) return [];
    const took = spans.map((p) => p.endMs! - p.startMs);
    const ended = spans.map((p) => p.endMs!);
    return [`${phase} ${s(percentile(took, 0.5))} s (ends at ${s(percentile(ended, 0.5))} s)`];
  });
  const ready = timelines.flatMap((t) => (t.readyMs === undefined ? [] : [t.readyMs]));
  const readyP50 = ready.length ? `; ready p50 ${s(percentile(ready, 0.5))} s` : '';
  return `  phases, p50 of ${timelines.length} launches: ${cells.join(', ')}${readyP50}`;
}

/** The block of lines for one run. */
export function printRun(title: string, r: Summary) {
  console.log(title);
  console.log(times('signed in', r.signedIn));
  console.log(times('finished fork', r.forked));
  console.log(times('workspace running', r.running));
  if (r.timelines.length) console.log(phases(r.timelines));
  console.log(
    `  took ${s(r.tookMs)} s from the first POST to the last learner done: ${r.perMinute.toFixed(1)} learners/min with a finished fork`,
  );
  console.log(`  fork jobs tried more than once: ${r.retried}`);
  console.log(`  refused, server full: ${r.refused}`);
  console.log(`  errors: ${r.learnersWithErrors}`);
  for (const [kind, count] of [...r.errors].sort((a, b) => b[1] - a[1])) console.log(`    ${kind}: ${count}`);
}

/** Storm over reference for each median, and for learners per minute. */
export function printRatios(storm: Summary, reference: Summary) {
  const ratio = (a: number[], b: number[]) =>
    a.length && b.length ? `${(percentile(a, 0.5) / percentile(b, 0.5)).toFixed(2)}×` : 'n/a';
  console.log(
    `ratios, storm / reference: signed in p50 ${ratio(storm.signedIn, reference.signedIn)}, finished fork p50 ${ratio(storm.forked, reference.forked)}, workspace running p50 ${ratio(storm.running, reference.running)}; learners/min ${(storm.perMinute / reference.perMinute).toFixed(1)}×`,
  );
}
