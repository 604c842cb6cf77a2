/**
 * First launches: for 20 learners launching at once from an LMS, the time from the LTI POST to their
 * Jupyter server answering through labgate (p50/p95), with everything real: labgate, gitlab-lite, git,
 * Podman containers. Then the proxy: requests per second to a Jupyter API route through labgate, as a
 * ratio to the same requests sent straight to the container. Needs root, Podman and the test image
 * (`bash scripts/ensure-containers.sh`, `bash scripts/build-notebook-image.sh`).
 */
import { availableParallelism } from 'node:os';
import { signLti11Launch } from '../src/simulator/index.ts';
import { podmanSocket } from '../test/support/containers.ts';
import { startBenchDemo } from './bench-demo.ts';
import { startCpuSplit } from './cpu-split.ts';

const learners = Number(process.env.BENCH_LEARNERS ?? 20);
const proxySeconds = Number(process.env.BENCH_PROXY_SECONDS ?? 3);
// BENCH_WARM_POOL=N: the same launches with N started workspaces waiting (WORKSPACE_WARM_POOL).
const warmPool = Number(process.env.BENCH_WARM_POOL ?? 0);
const demo = await startBenchDemo('launch', {
  WORKSPACE_MAX_RUNNING: String(learners + 5),
  WORKSPACE_WARM_POOL: String(warmPool),
});
const { app, base } = demo;
if (app.warmPool) {
  const filling = performance.now();
  await app.warmPool.fill();
  const ready = (await app.warmPool.waiting()).length;
  console.log(
    `warm pool: ${ready} of ${warmPool} started in ${((performance.now() - filling) / 1000).toFixed(1)} s`,
  );
}
const consumer = await app.services.consumers.findConsumer('labgate-demo');

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const cookieOf = (res: Response) => /labgate_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

async function launchOne(n: number) {
  const started = performance.now();
  const fields = signLti11Launch({
    launchUrl: `${base}/lti/launch`,
    consumerKey: 'labgate-demo',
    secret: consumer!.secrets[0]!,
    nowSeconds: Math.floor(Date.now() / 1000),
    params: [
      ['lti_message_type', 'basic-lti-launch-request'],
      ['lti_version', 'LTI-1p0'],
      ['user_id', `bench-learner-${n}`],
      ['lis_person_name_full', `Bench Learner ${n}`],
      ['roles', 'Learner'],
      ['context_id', 'course-v1:labgate+RR101+demo'],
      ['context_title', 'Recherche reproductible (démo)'],
      ['context_label', 'RR101'],
      ['resource_link_id', 'bench'],
      ['custom_assignment', 'exercise-1'],
    ],
  });
  const res = await fetch(`${base}/lti/launch`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  const cookie = `labgate_session=${cookieOf(res)}`;
  // The launch goes on to /launch/continue, which sends the learner to their workspace's /launch/<id>.
  const onward = await fetch(new URL(res.headers.get('location') ?? '/', base), {
    headers: { cookie },
    redirect: 'manual',
  });
  const id = /\/launch\/([0-9a-f]{20})/.exec(onward.headers.get('location') ?? '')?.[1];
  if (!id) throw new Error(`launch ${n}: no workspace (${onward.headers.get('location')})`);
  for (;;) {
    const status = await fetch(`${base}/user/${id}/api/status`, { headers: { cookie } });
    await status.arrayBuffer();
    if (status.status === 200) return { ms: performance.now() - started, id, cookie };
    const ws = await app.services.workspaces.find(id);
    if (ws?.status === 'failed') throw new Error(`launch ${n} failed: ${ws.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function requestsPerSecond(
  url: string,
  headers: Record<string, string>,
  seconds = proxySeconds,
  concurrency = 8,
) {
  let count = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const r = await fetch(url, { headers });
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
        count++;
      }
    }),
  );
  return count / seconds;
}

try {
  const split = await startCpuSplit(podmanSocket);
  const wallBefore = performance.now();
  const results = await Promise.all(Array.from({ length: learners }, (_, n) => launchOne(n)));
  const wall = (performance.now() - wallBefore) / 1000;
  const cpuUse = await split.stop();
  const cpu = cpuUse.machine;
  const times = results.map((r) => r.ms);
  console.log(
    `first launch, ${learners} learners at once${warmPool ? `, warm pool of ${warmPool}` : ''} (LTI POST → Jupyter answering through labgate):`,
  );
  console.log(
    `  p50 ${(percentile(times, 0.5) / 1000).toFixed(2)} s   p95 ${(percentile(times, 0.95) / 1000).toFixed(2)} s   max ${(Math.max(...times) / 1000).toFixed(2)} s`,
  );
  // Where the seconds went, per phase (they overlap: the container starts while the fork is made).
  const timelines = results.map((r) => app.launches?.timelineOf(r.id)).filter((t) => t !== undefined);
  const phases = ['fork', 'container', 'server', 'clone', 'page'] as const;
  const cells = phases.flatMap((phase) => {
    const spans = timelines.flatMap((t) =>
      t.phases.filter((s) => s.phase === phase && s.endMs !== undefined),
    );
    if (!spans.length) return [];
    const took = spans.map((s) => s.endMs! - s.startMs);
    const ended = spans.map((s) => s.endMs!);
    return [
      `${phase} ${(percentile(took, 0.5) / 1000).toFixed(2)} s (ends at ${(percentile(ended, 0.5) / 1000).toFixed(2)} s)`,
    ];
  });
  const ready = timelines.flatMap((t) => (t.readyMs === undefined ? [] : [t.readyMs]));
  console.log(
    `  phases, p50: ${cells.join(', ')}; ready p50 ${(percentile(ready, 0.5) / 1000).toFixed(2)} s after the launch`,
  );
  // Near 100% of the cores: the launches were bound by the CPU, and CPU per learner is what to cut.
  console.log(
    `  machine CPU busy ${((100 * cpu) / (wall * availableParallelism())).toFixed(0)}% of ${availableParallelism()} cores: ${cpu.toFixed(1)} CPU-s in ${wall.toFixed(1)} s, ${(cpu / learners).toFixed(2)} CPU-s per learner`,
  );
  const per = (x: number) => (x / learners).toFixed(2);
  console.log(
    `  CPU-s per learner: workspace containers ${per(cpuUse.containers)}, labgate and its forge (this process) ${per(cpuUse.self)}, the engine's service ${per(cpuUse.engine)}, the rest ${per(cpuUse.rest)} (runc, conmon, network plugins, git, the kernel)`,
  );
  const first = results[0]!;
  const ws = (await app.services.workspaces.find(first.id))!;
  const route = `/user/${first.id}/api/status`;
  const direct = await requestsPerSecond(`${ws.target}${route}`, { authorization: `token ${ws.token}` });
  const proxied = await requestsPerSecond(`${base}${route}`, { cookie: first.cookie });
  console.log(
    `proxy: ${proxied.toFixed(0)} req/s through labgate, ${direct.toFixed(0)} req/s straight to the container: ratio ${(proxied / direct).toFixed(2)}`,
  );
} finally {
  await demo.close();
}
