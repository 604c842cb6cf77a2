/**
 * JupyterLab through labgate vs direct (issue 16), in Debian's chromium: time to a usable JupyterLab
 * and to the demo notebook open with an idle kernel (bench/lab-load.ts defines both), with a cold
 * browser cache (a new context) and a warm one (a second load in it), (a) through labgate's proxy on
 * the workspace's own origin after a real LTI launch, (b) straight to the container's Jupyter server
 * with its token. Each load starts from no kernel and a fresh JupyterLab workspace state. Medians of
 * BENCH_ROUNDS (5), ratios proxy/direct; target: a returning (warm) load within 1.2× of direct. Also
 * each load's requests, how many the cache answered or the server revalidated (304), and the bytes of
 * the bodies fetched, encoded and decoded. BENCH_LINK=<Mbit/s>,<round trip ms> emulates a network
 * (DevTools' throttling, on encoded bytes); loopback otherwise. Needs root, Podman and the lab image
 * (`bash scripts/build-lab-image.sh`; BENCH_IMAGE picks another, e.g. an older build to compare).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { launchBrowser } from '../test/support/browser.ts';
import { removeWorkspaces } from '../test/support/containers.ts';
import { listenOnSomePort } from './bench-port.ts';
import { timeLoad, type LoadFigures, type LoadKind } from './lab-load.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const [mbps, rttMs] = (process.env.BENCH_LINK ?? '').split(',').map(Number);
const link = mbps && rttMs !== undefined ? { mbps, rttMs } : undefined;
const notebook = 'exercice.ipynb';
const image =
  process.env.BENCH_IMAGE ||
  execFileSync('bash', ['scripts/build-lab-image.sh'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
const dir = mkdtempSync(path.join(tmpdir(), 'labgate-bench-lab-'));
chmodSync(dir, 0o755); // labgate runs git in workspaces as the learners' uid, which must reach them
// localhost, as `npm start`: each workspace then lives on its own origin, <id>.ws.localhost, as in production.
const { app, port } = await listenOnSomePort((port) => {
  const config = loadConfig('demo', {
    PUBLIC_BASE_URL: `http://localhost:${port}`,
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    WORKSPACE_IMAGE: image,
    DOCKER_SOCKET: '/run/podman/podman.sock',
    WORKSPACE_ENTRY: 'lab',
    WORKSPACE_MEMORY_MB: '1024',
    // BENCH_WARM_POOL=N: first launches take a started workspace from a warm pool of N.
    WORKSPACE_WARM_POOL: process.env.BENCH_WARM_POOL ?? '0',
  });
  // Each round fills the pool before its launch: a refill during the round would create a network while
  // the page loads, and chromium, on the same host, drops its requests then (ERR_NETWORK_CHANGED).
  if (config.workspaces) config.workspaces.warmPoolRefillMs = 3_600_000;
  return buildApp(config);
});

/** A learner launched from the demo LMS in the browser, to JupyterLab through labgate. */
async function launchLearner(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(
    `http://localhost:${port}/simulator/launch?role=learner&locale=en&userId=bench-lab&name=Bench`,
  );
  await page.waitForURL(/\/user\/[0-9a-f]{20}\/lab/, { timeout: 300_000 });
  const url = new URL(page.url());
  const id = /\/user\/([0-9a-f]{20})\//.exec(url.pathname)![1]!;
  const cookies = await context.cookies();
  await context.close();
  const ws = (await app.services.workspaces.find(id))!;
  return {
    id,
    cookies,
    proxied: `${url.origin}/user/${id}/`,
    direct: `${ws.target}/user/${id}/`,
    token: ws.token,
  };
}

type Learner = Awaited<ReturnType<typeof launchLearner>>;

/** No kernel and no saved JupyterLab layout: each load opens the same page from the same state. */
async function resetServer(l: Learner) {
  const call = async (route: string, method = 'GET') => {
    const res = await fetch(`${l.direct}${route}`, {
      method,
      headers: { authorization: `token ${l.token}` },
    });
    if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status}`);
    return method === 'GET' ? ((await res.json()) as unknown) : undefined;
  };
  for (const s of (await call('api/sessions')) as Array<{ id: string }>)
    await call(`api/sessions/${s.id}`, 'DELETE');
  for (const k of (await call('api/kernels')) as Array<{ id: string }>)
    await call(`api/kernels/${k.id}`, 'DELETE');
  const saved = (await call('lab/api/workspaces')) as { workspaces: { ids: string[] } };
  for (const name of saved.workspaces.ids)
    await call(`lab/api/workspaces/${encodeURIComponent(name)}`, 'DELETE');
}

const modes = ['proxy', 'direct'] as const;
type Mode = (typeof modes)[number];
const cases = [
  ['usable JupyterLab', 'lab'],
  ['open notebook, idle kernel', 'notebook'],
] as const satisfies ReadonlyArray<readonly [string, LoadKind]>;
const caches = ['cold', 'warm'] as const;
type Key = `${Mode} ${LoadKind} ${(typeof caches)[number]}`;

async function newContext(browser: Browser, mode: Mode, l: Learner): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  if (mode === 'proxy') await context.addCookies(l.cookies);
  return context;
}

const urlOf = (mode: Mode, kind: LoadKind, l: Learner) => {
  const page = kind === 'lab' ? 'lab' : `lab/tree/${notebook}`;
  return mode === 'proxy' ? `${l.proxied}${page}` : `${l.direct}${page}?token=${l.token}`;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => `${Math.round(x).toLocaleString('en')} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const load = () => loadavg()[0]!.toFixed(2);

/**
 * First launches, as a learner clicks the LMS link: a new learner each time (fork, container, clone),
 * a new browser context, from the click to the exercise's notebook open with an idle kernel.
 */
async function firstLaunches(browser: Browser) {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await app.warmPool?.fill(); // each first launch finds a started workspace waiting
    const who = `bench-lab-first-${process.pid}-${round}`;
    const url = `http://localhost:${port}/simulator/launch?role=learner&locale=en&userId=${who}&name=First`;
    times.push((await timeLoad(context, url, 'notebook', link)).ms);
    await context.close();
  }
  return times;
}

const browser = await launchBrowser();
let learner: Learner | undefined;
const results = new Map<Key, LoadFigures[]>();
try {
  const loadBefore = load();
  learner = await launchLearner(browser);
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so that a drift in the machine's load weighs on both alike.
    for (const mode of round % 2 ? [...modes].reverse() : modes) {
      for (const [, kind] of cases) {
        const context = await newContext(browser, mode, learner);
        for (const cache of caches) {
          await resetServer(learner);
          const figures = await timeLoad(context, urlOf(mode, kind, learner), kind, link);
          const key: Key = `${mode} ${kind} ${cache}`;
          results.set(key, [...(results.get(key) ?? []), figures]);
        }
        await context.close();
      }
    }
  }
  const of = (key: Key, f: (x: LoadFigures) => number) => median(results.get(key)!.map(f));
  console.log(
    `JupyterLab through labgate vs direct: ${image}, ${rounds} round(s), medians, ${link ? `${link.mbps} Mbit/s ${link.rttMs} ms link` : 'loopback'}; load average ${loadBefore} → ${load()} on ${availableParallelism()} cores`,
  );
  console.log(`  ${''.padEnd(38)}${'through labgate'.padStart(16)}${'direct'.padStart(12)}   ratio`);
  const ratios = new Map<string, number>();
  for (const [label, kind] of cases)
    for (const cache of caches) {
      const proxy = of(`proxy ${kind} ${cache}`, (x) => x.ms);
      const direct = of(`direct ${kind} ${cache}`, (x) => x.ms);
      ratios.set(`${kind} ${cache}`, proxy / direct);
      console.log(
        `  ${`${label}, ${cache} cache`.padEnd(38)}${ms(proxy).padStart(16)}${ms(direct).padStart(12)}   ${(proxy / direct).toFixed(2)}`,
      );
    }
  console.log('network until usable (medians): requests, from cache, 304, bodies encoded / decoded');
  for (const mode of modes)
    for (const [label, kind] of cases)
      for (const cache of caches) {
        const key: Key = `${mode} ${kind} ${cache}`;
        const name = `${mode === 'proxy' ? 'through labgate' : 'direct'}, ${label}, ${cache}`;
        console.log(
          `  ${name.padEnd(50)} ${String(of(key, (x) => x.requests)).padStart(4)} requests, ${of(key, (x) => x.fromCache)} from cache, ${of(key, (x) => x.revalidated)} 304, ${mb(of(key, (x) => x.encodedBytes))} / ${mb(of(key, (x) => x.decodedBytes))}`,
        );
      }
  const first = await firstLaunches(browser);
  console.log(
    `first launch${app.warmPool ? ` from a warm pool of ${process.env.BENCH_WARM_POOL}` : ''}, click → notebook open with an idle kernel (${rounds} learner(s)): median ${ms(median(first))} — target ≤ 3 s ${median(first) <= 3000 ? 'met' : 'NOT met'}`,
  );
  const worst = Math.max(ratios.get('lab warm')!, ratios.get('notebook warm')!);
  console.log(
    `target: returning launch (warm cache) within 1.2× of direct — ${worst <= 1.2 ? 'met' : 'NOT met'} (usable JupyterLab ${ratios.get('lab warm')!.toFixed(2)}×, open notebook ${ratios.get('notebook warm')!.toFixed(2)}×)`,
  );
} finally {
  await browser.close();
  // Every workspace this run's own database knows: the returning learner's and the first launches'.
  const ids = (await app.services.db.selectFrom('workspaces').select('id').execute()).map((w) => w.id);
  await app.warmPool?.close({ drain: true });
  await app.close();
  await removeWorkspaces([...(learner ? [learner.id] : []), ...ids]);
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}-workspaces`, { recursive: true, force: true });
}
