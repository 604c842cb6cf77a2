/**
 * Verified LTI 1.1 launches per second on one core (run through `npm run bench:lti`, which pins the
 * process to CPU 0), against two references measured in the same process: fastify answering a trivial
 * route, and the bare HMAC signature. SQLite in a temp dir, nothing on the network.
 * BENCH_LAUNCHES (3000) makes it smaller, as its smoke test (test/bench-lti.test.ts) does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { oauthSignature } from '../src/lti/index.ts';
import { signLti11Launch } from '../src/simulator/index.ts';
import { listenOnSomePort } from './bench-port.ts';

const launches = Number(process.env.BENCH_LAUNCHES ?? 3000);
const dir = mkdtempSync(path.join(tmpdir(), 'labgate-bench-'));
// Listening on loopback only so that labgate can fetch the simulator platform's JWKS (once, then cached).
const { app, port } = await listenOnSomePort((port) =>
  buildApp(
    loadConfig('demo', {
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}`,
      // Its embedded forge writes where it listens under DATA_DIR: here, not in the checkout.
      DATA_DIR: path.join(dir, 'data'),
      LOG_LEVEL: 'silent',
      SIMULATOR: 'on',
    }),
  ),
);
const base = `http://127.0.0.1:${port}`;
const consumer = await app.services.consumers.addConsumer({ name: 'bench', key: 'bench' });

const encode = (pairs: Array<[string, string]>) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const bodies = Array.from({ length: launches }, (_, i) =>
  encode(
    signLti11Launch({
      launchUrl: `${base}/lti/launch`,
      consumerKey: consumer.key,
      secret: consumer.secret,
      nowSeconds: Math.floor(Date.now() / 1000),
      params: [
        ['lti_message_type', 'basic-lti-launch-request'],
        ['lti_version', 'LTI-1p0'],
        ['user_id', `learner-${i % 500}`],
        ['roles', 'Learner'],
        ['resource_link_id', 'rl-1'],
        ['context_id', 'course-v1:bench+B1+2026'],
        ['context_title', 'Bench course'],
        ['lis_person_name_full', `Learner ${i % 500}`],
      ],
    }),
  ),
);

async function timed(
  label: string,
  n: number,
  run: (i: number) => Promise<unknown> | unknown,
  warmUps = Math.min(50, n),
) {
  for (let i = 0; i < warmUps; i++) await run(i); // warm-up: JIT and statement caches
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await run(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { label, perSecond: n / seconds, meanMs: (seconds * 1000) / n };
}

let accepted = 0;
let next = 0; // each signed launch is used exactly once, warm-up included
const warmUps = Math.min(50, Math.floor(launches / 2));
const launch = await timed(
  'verified launch (signature, nonce, user, course, session)',
  launches - warmUps,
  async () => {
    const res = await app.server.inject({
      method: 'POST',
      url: '/lti/launch',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: bodies[next++]!,
    });
    if (res.statusCode === 303) accepted++;
  },
  warmUps,
);
// LTI 1.3 through the simulator platform: login initiation and the id_token launch are timed; the
// platform's authorization step (minting and signing the token) is not labgate's work and is excluded.
const lti13Launches = Math.min(1000, launches);
let lti13Accepted = 0;
let lti13Nanos = 0n;
const cookiesOf = (res: { cookies: Array<{ name: string; value: string }> }) =>
  Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
/** A redirect's target as inject takes it: a Location may be relative (RFC 9110 §10.2.2). */
function redirectTarget(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  const location = res.headers['location'];
  if (typeof location !== 'string') throw new Error(`expected a redirect: ${res.statusCode} ${res.body}`);
  const url = new URL(location, base);
  return url.pathname + url.search;
}
for (let i = 0; i < lti13Launches + 20; i++) {
  // The simulator's button redirects to its LTI 1.3 launch, which redirects to labgate's login initiation.
  // No such assignment, as the 1.1 launches name none: otherwise each launch starts a fork in the
  // background of this same process and the ratio measures gitlab-lite (0.19 instead of 0.77).
  let initiation = `/simulator/launch?version=1.3&userId=l13-${i % 500}&assignment=bench-none`;
  while (initiation.startsWith('/simulator/'))
    initiation = redirectTarget(await app.server.inject({ method: 'GET', url: initiation }));
  const start = process.hrtime.bigint();
  const login = await app.server.inject({ method: 'GET', url: initiation });
  let spent = process.hrtime.bigint() - start;
  const form = await app.server.inject({ method: 'GET', url: redirectTarget(login) });
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(form.body)![1]!;
  const startLaunch = process.hrtime.bigint();
  const res = await app.server.inject({
    method: 'POST',
    url: '/lti/1.3/launch',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    cookies: cookiesOf(login),
    payload: new URLSearchParams({ id_token: field('id_token'), state: field('state') }).toString(),
  });
  spent += process.hrtime.bigint() - startLaunch;
  if (i >= 20) {
    lti13Nanos += spent; // the first 20 warm up the JIT and the JWKS cache
    if (res.statusCode === 303) lti13Accepted++;
  }
}
const lti13 = {
  label: 'verified LTI 1.3 launch (login + id_token), platform signing excluded',
  perSecond: lti13Launches / (Number(lti13Nanos) / 1e9),
  meanMs: Number(lti13Nanos) / 1e6 / lti13Launches,
};

const health = await timed('reference: fastify GET /healthz', launches, () =>
  app.server.inject({ method: 'GET', url: '/healthz' }),
);
const hmac = await timed('reference: one HMAC-SHA1 signature', launches, () =>
  oauthSignature({ method: 'POST', url: `${base}/lti/launch`, params: [['a', 'b']], consumerSecret: 's' }),
);

await app.close();
rmSync(dir, { recursive: true, force: true });

console.log(`labgate bench: LTI 1.1 launches, ${launches} signed launches, SQLite, one process`);
for (const r of [launch, lti13, health, hmac]) {
  console.log(`  ${r.label.padEnd(62)} ${r.perSecond.toFixed(0).padStart(8)} /s  ${r.meanMs.toFixed(3)} ms`);
}
console.log(
  `  accepted: ${accepted}/${launches} LTI 1.1, ${lti13Accepted}/${lti13Launches} LTI 1.3 launches`,
);
console.log(`  ratio launch/healthz: ${(launch.perSecond / health.perSecond).toFixed(3)}`);
console.log(`  ratio launch/hmac:    ${(launch.perSecond / hmac.perSecond).toFixed(4)}`);
console.log(`  ratio LTI 1.3/LTI 1.1:  ${(lti13.perSecond / launch.perSecond).toFixed(3)}`);
if (accepted !== launches || lti13Accepted !== lti13Launches) process.exitCode = 1;
