/**
 * A launch storm: BENCH_LEARNERS (500) learners launching from their LMS over BENCH_SECONDS (60),
 * arrivals spread evenly, against two labgate replicas (`npm start`) on one PostgreSQL behind a
 * round-robin proxy, with gitlab-lite (in this process, forks taking 0.5–1.5 s) and workspaces on
 * Podman for the first BENCH_WORKSPACES (50); later learners get their account, session and fork, and
 * their workspace is refused as the server is full (counted apart: not an error). Each learner's
 * times from the LTI POST: signed in (their launch page answered), fork finished (the provisioning
 * job done, read from the database), workspace running (its progress stream said so and Jupyter
 * answers through labgate). The reference, first and in the same process: BENCH_REFERENCE_LEARNERS
 * (20) launching one after another on one replica, each with a workspace. Needs root, Podman, the
 * test image and the test PostgreSQL (`bash scripts/ensure-containers.sh`, ensure-test-deps.sh).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { printRatios, printRun, summarize } from './storm-figures.ts';
import { launchLearner, type LearnerResult } from './storm-learner.ts';
import { startStormRig } from './storm-rig.ts';

const learners = Number(process.env.BENCH_LEARNERS ?? 500);
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const workspaces = Number(process.env.BENCH_WORKSPACES ?? 50);
const referenceLearners = Number(process.env.BENCH_REFERENCE_LEARNERS ?? 20);
// How long after its POST a learner's fork and workspace may take before it counts as an error.
const waitSeconds = Number(process.env.BENCH_WAIT_SECONDS ?? 300);

const image = execFileSync('bash', ['scripts/build-notebook-image.sh'], { encoding: 'utf8' }).trim();
const loadBefore = loadavg()[0]!;
// The reference's workspaces keep running through the storm: the storm has `workspaces` slots of its own.
const rig = await startStormRig({ image, maxRunning: workspaces + referenceLearners, replicas: 2 });
const replicaOf = (port: number) => `replica ${rig.ports.indexOf(port) + 1}`;
/** Which replica answered the requests sent since `from` (LTI POSTs, and all of them). */
function servedSince(from: number) {
  const count = (pick: (s: { method: string; path: string }) => boolean) => {
    const by = new Map(rig.ports.map((p) => [p, 0]));
    // status 0: that replica refused the connection (not started yet) and the proxy tried the next one.
    for (const s of rig.proxy.served.slice(from))
      if (s.status > 0 && pick(s)) by.set(s.port, by.get(s.port)! + 1);
    return [...by].map(([port, n]) => `${replicaOf(port)} ${n}`).join(', ');
  };
  return {
    launches: count((s) => s.method === 'POST' && s.path === '/lti/launch'),
    requests: count(() => true),
  };
}

try {
  const options = (run: string) => ({ base: rig.proxy.url, secret: rig.secret, run, waitSeconds });
  // The reference: one replica (the other is not started yet), one learner after another, each waiting
  // for its workspace (hence its fork, which the clone needs) before the next one launches.
  const reference: LearnerResult[] = [];
  for (let n = 0; n < referenceLearners; n++) reference.push(await launchLearner(options('ref'), n));
  const referenceForks = await rig.forks(
    reference.flatMap((r) => (r.workspaceId ? [r.workspaceId] : [])),
    Date.now() + waitSeconds * 1000,
  );
  const referenceServed = servedSince(0);

  await rig.startOthers();
  const before = rig.proxy.served.length;
  const start = Date.now() + 500;
  const spacing = (seconds * 1000) / learners;
  const storm = await Promise.all(
    Array.from({ length: learners }, async (_, n) => {
      await new Promise((r) => setTimeout(r, start + n * spacing - Date.now()));
      return launchLearner(options('storm'), n);
    }),
  );
  const stormForks = await rig.forks(
    storm.flatMap((r) => (r.workspaceId ? [r.workspaceId] : [])),
    Date.now() + waitSeconds * 1000,
  );
  const stormServed = servedSince(before);
  const runningAtEnd = await rig.running();

  const ref = summarize(reference, referenceForks);
  const measured = summarize(storm, stormForks);
  console.log(
    `launch storm: ${learners} learners over ${seconds} s, workspaces for the first ${workspaces}; PostgreSQL, gitlab-lite with 0.5–1.5 s forks, Podman; ${cpus().length} cores, load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`,
  );
  printRun(`reference: ${referenceLearners} learners one after another, one replica`, ref);
  console.log(`  launches served: ${referenceServed.launches}`);
  printRun(
    `storm: ${learners} learners over ${seconds} s, two replicas behind a round-robin proxy`,
    measured,
  );
  console.log(`  launches served: ${stormServed.launches}`);
  console.log(`  requests served: ${stormServed.requests}`);
  console.log(
    `  workspaces running or starting at the end: ${runningAtEnd} (limit ${workspaces + referenceLearners}, ${referenceLearners} of them the reference's)`,
  );
  printRatios(measured, ref);
  const logged = rig.errorLines();
  logged.forEach((lines, i) => {
    if (!lines.length) return;
    console.log(`replica ${i + 1} logged ${lines.length} errors, first ones:`);
    for (const line of lines.slice(0, 3)) console.log(`  ${line.slice(0, 400)}`);
  });
} finally {
  await rig.close();
}
