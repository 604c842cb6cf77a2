/**
 * The workspace proxy against a real Jupyter server in a Podman container (one learner launched through
 * the real app): requests per second to a Jupyter API route through labgate vs straight to the
 * container, and kernel_info round trips on a kernel's WebSocket channels, p50/p99, through labgate vs
 * direct. The client runs in a process of its own and alternates the two ways (a shared machine).
 * Needs root, Podman and the test image (`bash scripts/ensure-containers.sh`).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { signLti11Launch } from '../src/simulator/index.ts';
import { startBenchDemo } from './bench-demo.ts';
import type { ClientTask, Way } from './proxy-client.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const messages = Number(process.env.BENCH_MESSAGES ?? 2000);
const concurrency = 8;
const demo = await startBenchDemo('proxy');
const { app, base } = demo;
const learner = `bench-proxy-${process.pid}`;

/** One task of the client, in a process of its own (as a browser is): its CPU is not labgate's. */
function client<T>(task: ClientTask): Promise<T> {
  const child = fork(fileURLToPath(new URL('./proxy-client.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx', '--experimental-websocket'],
  });
  child.send(task);
  return new Promise((resolve, reject) => {
    child.once('message', (m: T) => resolve(m));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the bench's client ended (${code}) without an answer`)));
  });
}

/** One learner's launch from the LMS, until their Jupyter server answers through labgate. */
async function launch() {
  const consumer = await app.services.consumers.findConsumer('labgate-demo');
  const fields = signLti11Launch({
    launchUrl: `${base}/lti/launch`,
    consumerKey: 'labgate-demo',
    secret: consumer!.secrets[0]!,
    nowSeconds: Math.floor(Date.now() / 1000),
    params: [
      ['lti_message_type', 'basic-lti-launch-request'],
      ['lti_version', 'LTI-1p0'],
      ['user_id', learner],
      ['lis_person_name_full', 'Bench Proxy'],
      ['roles', 'Learner'],
      ['context_id', 'course-v1:labgate+RR101+demo'],
      ['context_title', 'Recherche reproductible (démo)'],
      ['resource_link_id', 'bench-proxy'],
      ['custom_assignment', 'exercise-1'],
    ],
  });
  const res = await fetch(`${base}/lti/launch`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  const cookie = `labgate_session=${/labgate_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1]}`;
  const landing = await fetch(`${base}${res.headers.get('location')}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  const id = /\/launch\/([0-9a-f]{20})/.exec(landing.headers.get('location') ?? '')?.[1];
  if (!id) throw new Error(`the launch led to ${landing.headers.get('location')}, not a workspace`);
  for (;;) {
    const status = await fetch(`${base}/user/${id}/api/status`, { headers: { cookie } });
    await status.arrayBuffer();
    if (status.status === 200) return { id, cookie };
    const ws = await app.services.workspaces.find(id);
    if (ws?.status === 'failed') throw new Error(`the launch failed: ${ws.error}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

try {
  const { id, cookie } = await launch();
  const ws = (await app.services.workspaces.find(id))!;
  const token = { authorization: `token ${ws.token}` };
  const kernel = (await (
    await fetch(`${ws.target}/user/${id}/api/kernels`, { method: 'POST', headers: token, body: '{}' })
  ).json()) as { id: string };
  const route = `/user/${id}/api/status`;
  const channels = `/user/${id}/api/kernels/${kernel.id}/channels`;
  // What JupyterLab's requests carry in a browser, both ways; then the token, or labgate's cookie.
  const browser = {
    accept: '*/*',
    'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8',
    'accept-encoding': 'gzip, deflate, br',
    'user-agent':
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    referer: `${base}/user/${id}/lab`,
    'sec-fetch-dest': 'empty',
    'sec-fetch-mode': 'cors',
    'sec-fetch-site': 'same-origin',
  };
  const direct: Way = { url: ws.target!, headers: { ...browser, ...token } };
  const proxied: Way = { url: base, headers: { ...browser, cookie } };
  const at = (w: Way, path: string, scheme: string) => ({
    ...w,
    url: `${w.url.replace(/^http/, scheme)}${path}`,
  });
  const both = (path: string, scheme = 'http'): [Way, Way] => [
    at(direct, path, scheme),
    at(proxied, path, scheme),
  ];
  const cpu = process.cpuUsage();
  const [directRate, proxiedRate] = await client<number[]>({
    kind: 'http',
    ways: both(route),
    seconds,
    concurrency,
  });
  const used = process.cpuUsage(cpu); // labgate's (this process's) CPU: nearly all of it in the labgate slices
  const cpuPerRequest = (used.user + used.system) / (proxiedRate! * seconds);
  const [straight, through] = await client<number[][]>({
    kind: 'kernel',
    ways: both(channels, 'ws'),
    messages,
  });
  const ratio = proxiedRate! / directRate!;
  const added = percentile(through!, 0.99) - percentile(straight!, 0.99);
  const trips = (xs: number[]) => `p50 ${ms(percentile(xs, 0.5))}  p99 ${ms(percentile(xs, 0.99))}`;
  console.log(
    `GET ${route.replace(id, '<id>')}, ${concurrency} at once, ${seconds} s each way in alternating slices:`,
  );
  console.log(`  straight to the container  ${directRate!.toFixed(0)} req/s`);
  console.log(`  through labgate            ${proxiedRate!.toFixed(0)} req/s`);
  console.log(`  ratio ${ratio.toFixed(2)} (target ≥ 0.90: ${ratio >= 0.9 ? 'met' : 'NOT met'})`);
  console.log(`  labgate's CPU per proxied request ${cpuPerRequest.toFixed(0)} µs`);
  console.log(
    `kernel_info round trips on the kernel's WebSocket, ${messages} each way one at a time, alternating:`,
  );
  console.log(`  straight to the container  ${trips(straight!)}`);
  console.log(`  through labgate            ${trips(through!)}`);
  console.log(`  added p99 latency ${ms(added)} (target < 5 ms: ${added < 5 ? 'met' : 'NOT met'})`);
} finally {
  await demo.close();
}
