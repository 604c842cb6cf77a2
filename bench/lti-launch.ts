/**
 * Verified LTI 1.1 launches per second on one core (run through `npm run bench:lti`, which pins the
 * process to CPU 0), against two references measured in the same process: fastify answering a trivial
 * route, and the bare HMAC signature. SQLite in a temp dir, nothing on the network.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { oauthSignature } from '../src/lti/index.ts';
import { signLti11Launch } from '../src/simulator/index.ts';

const launches = Number(process.env.BENCH_LAUNCHES ?? 3000);
const dir = mkdtempSync(path.join(tmpdir(), 'labgate-bench-'));
const base = 'https://labgate.bench';
const config = loadConfig('demo', {
  PUBLIC_BASE_URL: base,
  DATABASE_URL: `sqlite:${path.join(dir, 'bench.db')}`,
  LOG_LEVEL: 'silent',
  SIMULATOR: 'off',
});
const app = await buildApp(config);
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

async function timed(label: string, n: number, run: (i: number) => Promise<unknown> | unknown) {
  for (let i = 0; i < Math.min(50, n); i++) await run(i); // warm-up: JIT and statement caches
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await run(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { label, perSecond: n / seconds, meanMs: (seconds * 1000) / n };
}

let accepted = 0;
let next = 0; // each signed launch is used exactly once, warm-up included
const launch = await timed(
  'verified launch (signature, nonce, user, course, session)',
  launches - 50,
  async () => {
    const res = await app.server.inject({
      method: 'POST',
      url: '/lti/launch',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: bodies[next++]!,
    });
    if (res.statusCode === 303) accepted++;
  },
);
const health = await timed('reference: fastify GET /healthz', launches, () =>
  app.server.inject({ method: 'GET', url: '/healthz' }),
);
const hmac = await timed('reference: one HMAC-SHA1 signature', launches, () =>
  oauthSignature({ method: 'POST', url: `${base}/lti/launch`, params: [['a', 'b']], consumerSecret: 's' }),
);

await app.close();
rmSync(dir, { recursive: true, force: true });

console.log(`labgate bench: LTI 1.1 launches, ${launches} signed launches, SQLite, one process`);
for (const r of [launch, health, hmac]) {
  console.log(`  ${r.label.padEnd(62)} ${r.perSecond.toFixed(0).padStart(8)} /s  ${r.meanMs.toFixed(3)} ms`);
}
console.log(`  accepted: ${accepted}/${launches} launches`);
console.log(`  ratio launch/healthz: ${(launch.perSecond / health.perSecond).toFixed(3)}`);
console.log(`  ratio launch/hmac:    ${(launch.perSecond / hmac.perSecond).toFixed(4)}`);
if (accepted !== launches) process.exitCode = 1;
