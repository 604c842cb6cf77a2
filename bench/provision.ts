/**
 * Provisioning throughput: learners given an account and a finished fork per minute, and p50/p95
 * time-to-fork (queued → done), for 200 learners at once against gitlab-lite with a GitLab-like fork
 * latency (0.5–1.5 s). The reference, in the same process, provisions learners one after another, each
 * waiting for its fork as a per-learner script does; the ratio is what bounded concurrency and fork
 * polling that frees the worker buy. gitlab-lite runs in the same process and shares its 2 cores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startGitlabLite } from '../gitlab-lite/index.ts';
import { createDatabase, migrateToLatest } from '../src/db/index.ts';
import {
  createGitlabForge,
  createProvisioner,
  type Provisioning,
  type ProvisionSpec,
} from '../src/forge/index.ts';

const learners = Number(process.env.BENCH_LEARNERS ?? 200);
const referenceLearners = Number(process.env.BENCH_REFERENCE_LEARNERS ?? 20);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const rootToken = 'bench-root-token';
const dir = mkdtempSync(path.join(tmpdir(), 'labgate-bench-provision-'));
const lite = await startGitlabLite({
  port: 0,
  dataDir: path.join(dir, 'gitlab'),
  rootToken,
  knobs: { forkLatencyMs: 500, forkLatencyJitterMs: 1000 },
});
const headers = { 'private-token': rootToken, 'content-type': 'application/json' };
const group = await (
  await fetch(`${lite.url}/api/v4/groups`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'teachers', path: 'teachers' }),
  })
).json();
await fetch(`${lite.url}/api/v4/projects`, {
  method: 'POST',
  headers,
  body: JSON.stringify({
    name: 'ex1',
    namespace_id: (group as { id: number }).id,
    initialize_with_readme: true,
  }),
});

const spec = (run: string, n: number): ProvisionSpec => ({
  kind: 'fork',
  person: {
    externUid: `${run}-${n}`,
    username: `${run}-${n}`,
    name: `Learner ${n}`,
    email: `${run}-${n}@x.invalid`,
  },
  course: { id: run, path: run, name: run },
  assignment: { slug: 'ex1', title: 'Exercise 1', template: 'teachers/ex1' },
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function run(name: string, count: number, workers: number, sequential: boolean) {
  const db = createDatabase(`sqlite:${path.join(dir, `${name}.db`)}`);
  await migrateToLatest(db);
  const provisioner = createProvisioner({
    db,
    forge: createGitlabForge({ url: lite.url, token: rootToken }),
    log: pino({ level: 'silent' }),
    options: { concurrency: workers, pollMs: 100 },
  });
  const finished = new Map<string, Provisioning>();
  const everyone = new Promise<void>((resolve) =>
    provisioner.subscribe('change', (job) => {
      if (job.status === 'done' || job.status === 'failed') finished.set(job.id, job);
      if (finished.size === count) resolve();
    }),
  );
  const started = Date.now();
  provisioner.start();
  if (sequential) {
    // What a per-learner script does (teachers-gitlab): ask for one fork, wait until it is there, next.
    for (let n = 0; n < count; n++) {
      const job = await provisioner.provision(`${name}-${n}`, spec(name, n));
      while (!finished.has(job.id)) await new Promise((r) => setTimeout(r, 10));
    }
  } else {
    await Promise.all(
      Array.from({ length: count }, (_, n) => provisioner.provision(`${name}-${n}`, spec(name, n))),
    );
  }
  await everyone;
  const seconds = (Date.now() - started) / 1000;
  await provisioner.stop();
  await db.destroy();
  const jobs = [...finished.values()];
  const failed = jobs.filter((j) => j.status !== 'done').length;
  const times = jobs.map((j) => j.finishedAt! - j.createdAt).sort((a, b) => a - b);
  return {
    count,
    seconds,
    perMinute: (count / seconds) * 60,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    failed,
  };
}

const reference = await run('reference', referenceLearners, 1, true);
const measured = await run('burst', learners, concurrency, false);
const line = (label: string, r: typeof measured) =>
  `${label.padEnd(38)} ${String(r.count).padStart(4)} learners  ${r.perMinute.toFixed(0).padStart(5)}/min  p50 ${(r.p50 / 1000).toFixed(2)} s  p95 ${(r.p95 / 1000).toFixed(2)} s  failed ${r.failed}`;
console.log(line('reference: one learner after another', reference));
console.log(line(`${learners} at once, concurrency ${concurrency}`, measured));
console.log(
  `throughput ratio (burst / reference): ${(measured.perMinute / reference.perMinute).toFixed(1)}×`,
);
await lite.close();
rmSync(dir, { recursive: true, force: true });
