import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAssignmentStore, createCourseStore } from '../../src/courses/index.ts';
import { createDatabase } from '../../src/db/index.ts';
import { demoConsumerKey, ensureDemoAssignment, startDemoForge } from '../../src/simulator/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { freePort, startDemoProcess } from '../support/labgate-process.ts';
import { ensureTestPostgres } from '../support/postgres-server.ts';
import { startRoundRobinProxy } from '../support/round-robin-proxy.ts';
import { ensureSwarm, removeSwarmWorkspace, swarmSocket } from '../support/swarm.ts';

// Two labgate replicas (`npm start`) on one PostgreSQL behind a round-robin proxy, workspaces on the
// single-node swarm. The replica running a learner's launch is killed (-9) in the middle of it: the
// other one takes the launch over, and the learner, who saw nothing but a longer wait, works on.
const image = inject('labImage');
const network = `labgate-rr-${process.pid}`;
const docker = new Docker({ socketPath: swarmSocket });
type Replica = Awaited<ReturnType<typeof startDemoProcess>>;

let browser: Browser;
let forge: Awaited<ReturnType<typeof startDemoForge>>;
let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
let admin: pg.Client;
let dbName = '';
let dbUrl = '';
const work = mkdtempSync(path.join(tmpdir(), 'labgate-rr-'));
chmodSync(work, 0o755); // labgate drops to its own user, which must reach its data folder in here
const ports: number[] = [];
const replicas: Replica[] = [];
let env: Record<string, string> = {};
let workspaceId = '';

const startReplica = (i: number) =>
  startDemoProcess({ ...env, PORT: String(ports[i]), DATA_DIR: path.join(work, `replica-${i}`) });

beforeAll(async () => {
  ensureSwarm([image]);
  const adminUrl = await ensureTestPostgres();
  admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  dbName = `labgate_rr_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  dbUrl = url.href;
  // The forge, outside both replicas; its forks take 8 s, so that a launch is surely under way when killed.
  const forgeDir = path.join(work, 'forge');
  mkdirSync(path.join(forgeDir, 'gitlab-lite'), { recursive: true });
  writeFileSync(path.join(forgeDir, 'gitlab-lite', 'knobs.json'), JSON.stringify({ forkLatencyMs: 8_000 }));
  forge = await startDemoForge(forgeDir);
  ports.push(await freePort(), await freePort());
  proxy = await startRoundRobinProxy(ports);
  env = {
    PUBLIC_BASE_URL: proxy.url,
    DATABASE_URL: dbUrl,
    EMBEDDED_FORGE: 'off',
    FORGE_URL: forge.url,
    FORGE_TOKEN: forge.token,
    PROVISION_LEASE_SECONDS: '5',
    WORKSPACES_ROOT: path.join(work, 'workspaces'),
    WORKSPACE_IMAGE: image,
    DOCKER_SOCKET: swarmSocket,
    WORKSPACE_ENGINE: 'swarm',
    WORKSPACE_SWARM_ADDRESS: 'gwbridge',
    WORKSPACE_SWARM_NETWORK: network,
    WORKSPACE_ENTRY: 'lab',
    WORKSPACE_MEMORY_MB: '1024',
  };
  // The first replica makes the schema and the simulator's LMS; the course's assignment is the teacher's.
  replicas.push(await startReplica(0));
  const db = createDatabase(dbUrl);
  await ensureDemoAssignment(
    { courses: createCourseStore(db), assignments: createAssignmentStore(db) },
    `lti11:${demoConsumerKey}`,
  );
  await db.destroy();
  replicas.push(await startReplica(1));
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  for (const r of replicas) await r.stop().catch(() => {});
  await proxy?.close();
  await forge?.close();
  await removeSwarmWorkspace(workspaceId, network);
  if (dbName) await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
  await admin?.end();
  rmSync(work, { recursive: true, force: true });
});

/** A JSON request from the learner's page, through the proxy and whichever replica it picks. */
const fromPage = (page: Page, url: string, method = 'GET', body?: unknown) =>
  page
    .evaluate(
      async ({ url, method, body }) => {
        // Each one to a replica, none from the browser's cache (Node's RequestInit type lacks `cache`).
        const init = {
          method,
          cache: 'no-store',
          headers: { 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        } as RequestInit;
        const r = await fetch(url, init);
        return { status: r.status, json: (await r.json().catch(() => undefined)) as unknown };
      },
      { url, method, body },
    )
    .catch((err: Error) => {
      const logs = replicas.map((r, i) => `replica ${i}:\n${r.output().slice(-3000)}`).join('\n');
      throw new Error(`${method} ${url}: ${err.message}\n${logs}`);
    });

describe('two labgate replicas on one PostgreSQL, workspaces on Docker Swarm', () => {
  it('finishes a launch whose replica was killed in the middle of it, then serves the workspace from either', async () => {
    const page = await browser.newPage();
    const said: string[] = [];
    page.on('console', (m) => said.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => said.push(`error: ${e.message}`));
    await page.goto(`${proxy.url}/simulator/launch?role=learner&locale=en&userId=grace&name=Grace%20Hopper`);
    await page.waitForURL(/\/launch\/[0-9a-f]{20}$/, { timeout: 60_000 });
    const launchedBy = proxy.served.find(
      (s) => s.method === 'POST' && s.path.startsWith('/lti/launch'),
    )!.port;
    const killed = ports.indexOf(launchedBy);
    expect(killed).toBeGreaterThanOrEqual(0);
    workspaceId = /\/launch\/([0-9a-f]{20})/.exec(page.url())![1]!;
    // Mid-launch: the row says starting (the fork is being made, the container booting).
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    const row = async () =>
      (await db.query('SELECT status, step FROM workspaces WHERE id = $1', [workspaceId])).rows[0] as {
        status: string;
        step: string;
      };
    expect((await row()).status).toBe('starting');
    await replicas[killed]!.kill();

    // The other replica takes it over; the learner's progress page (its stream now on the survivor) lands.
    await page.waitForURL(/\/user\/[0-9a-f]{20}\/lab/, { timeout: 180_000 });
    expect(await row()).toMatchObject({ status: 'running', step: 'ready' });
    await db.end();
    const survivor = replicas[1 - killed]!;
    expect(survivor.output()).not.toMatch(/"level":(50|60)/);
    // One workspace service, not one per replica that ran the launch.
    const services = await docker.listServices({ filters: { name: [`labgate-ws-${workspaceId}`] } });
    expect(services).toHaveLength(1);

    // The killed replica comes back; from now on the learner's requests go to both in turn.
    replicas[killed] = await startReplica(killed);
    const before = proxy.served.length;
    await page
      .locator('.jp-Notebook')
      .first()
      .waitFor({ timeout: 120_000 })
      .catch((err: Error) => {
        throw new Error(`${err.message}\nthe page said:\n${said.join('\n')}`);
      });
    const base = `/user/${workspaceId}`;
    for (let i = 0; i < 6; i++) {
      const listing = await fromPage(page, `${base}/api/contents`);
      expect(listing.status).toBe(200);
      expect(JSON.stringify(listing.json)).toContain('exercice.ipynb');
    }
    // JupyterLab's own requests and these: answered by both replicas.
    const since = proxy.served.slice(before).filter((s) => s.path.startsWith(`${base}/`));
    const by = (port: number) =>
      since.filter((s) => s.port === port && s.status > 0 && s.status < 400).length;
    const counts = ports.map((p) => `${p}: ${by(p)}`).join(', ');
    const told = `${counts}; not answered: ${JSON.stringify(since.filter((s) => s.status === 0 || s.status >= 400).slice(0, 10))}\n${replicas[killed]!.output().slice(-2000)}`;
    for (const port of ports) expect(by(port), told).toBeGreaterThan(0);

    // Commit & push from the learner's page: git runs in the task's container, on whichever replica.
    const saved = await fromPage(page, `${base}/api/contents/replicas.py`, 'PUT', {
      type: 'file',
      format: 'text',
      content: 'print("after a replica died")\n',
    });
    expect(saved.status).toBe(201);
    const commit = await fromPage(page, `${base}/git-api/commit`, 'POST', {
      message: 'Work on two replicas',
    });
    expect(commit.status).toBe(200);
    const asRoot = { headers: { 'private-token': forge.token } };
    const projects = (await (
      await fetch(`${forge.url}/api/v4/projects?per_page=100`, asRoot)
    ).json()) as Array<{
      id: number;
      path_with_namespace: string;
      forked_from_project?: unknown;
    }>;
    const fork = projects.find((p) => p.forked_from_project)!;
    const raw = await fetch(
      `${forge.url}/api/v4/projects/${fork.id}/repository/files/replicas.py/raw?ref=main`,
      asRoot,
    );
    expect(await raw.text()).toBe('print("after a replica died")\n');
  }, 400_000);
});
