import { readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startDemoProcess } from '../support/labgate-process.ts';
import { ensureSwarm, removeSwarmWorkspace, swarmSocket } from '../support/swarm.ts';

// `npm start` with WORKSPACE_ENGINE=swarm on the single-node swarm: labgate on the host reaches the
// task on the node's docker_gwbridge, and the embedded forge through its relay there.
const image = inject('labImage');
const network = `labgate-e2e-${process.pid}`;
const docker = new Docker({ socketPath: swarmSocket });
let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;
let workspaceId = '';

beforeAll(async () => {
  ensureSwarm([image]);
  demo = await startDemoProcess({
    WORKSPACE_IMAGE: image,
    DOCKER_SOCKET: swarmSocket,
    WORKSPACE_ENGINE: 'swarm',
    WORKSPACE_SWARM_ADDRESS: 'gwbridge',
    WORKSPACE_SWARM_NETWORK: network,
    WORKSPACE_ENTRY: 'lab',
    WORKSPACE_MEMORY_MB: '1024',
  });
  browser = await launchBrowser();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await removeSwarmWorkspace(workspaceId, network);
});

/** A JSON request from the learner's page, through labgate's proxy (which adds the Jupyter token). */
const fromPage = (page: Page, url: string, method = 'GET', body?: unknown) =>
  page
    .evaluate(
      async ({ url, method, body }) => {
        const r = await fetch(url, {
          method,
          headers: { 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: r.status, json: (await r.json().catch(() => undefined)) as unknown };
      },
      { url, method, body },
    )
    .catch((err: Error) => {
      // A request cut on the way: what labgate logged says which side cut it.
      throw new Error(`${method} ${url}: ${err.message}\nlabgate said:\n${demo.output().slice(-4000)}`);
    });

describe('a learner’s workspace as a Docker Swarm service', () => {
  it('launches from the LMS into JupyterLab, and commits and pushes the learner’s work to their fork', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.url}/simulator/launch?role=learner&locale=en&userId=grace&name=Grace%20Hopper`);
    await page.waitForURL(/\/user\/[0-9a-f]{20}\/lab/, { timeout: 180_000 });
    workspaceId = /\/user\/([0-9a-f]{20})\//.exec(page.url())![1]!;
    // The learner works in a JupyterLab that has loaded, its exercise open.
    await page.locator('.jp-Notebook').first().waitFor({ timeout: 120_000 });
    // It runs as a Swarm service (not a plain container), on the overlay network the setting names.
    const service = await docker.getService(`labgate-ws-${workspaceId}`).inspect();
    expect(service.Spec.Labels['org.labgate.assignment']).toBeTruthy();
    expect((await docker.getNetwork(network).inspect()).Driver).toBe('overlay');

    // JupyterLab's own API through labgate: the cloned exercise is there; a new file is saved.
    const base = `/user/${workspaceId}`;
    const listing = await fromPage(page, `${base}/api/contents`);
    expect(listing.status).toBe(200);
    expect(JSON.stringify(listing.json)).toContain('exercice.ipynb');
    expect((await fromPage(page, `${base}/lab/api/settings`)).status).toBe(200);
    const saved = await fromPage(page, `${base}/api/contents/swarm.py`, 'PUT', {
      type: 'file',
      format: 'text',
      content: 'print("from a Swarm task")\n',
    });
    expect(saved.status).toBe(201);

    // Commit & push, as the extension's button asks labgate: git runs in the task's container.
    const commit = await fromPage(page, `${base}/git-api/commit`, 'POST', { message: 'Work from Swarm' });
    expect(commit.status).toBe(200);
    const open = (await fromPage(page, `${base}/git-api/open`, 'POST', { path: 'swarm.py' })).json as {
      url: string;
    };
    const to = new URL(open.url);
    const forkPath = (to.searchParams.get('to') ?? to.pathname).split('/-/')[0]!.slice(1);
    const port = readFileSync(path.join(demo.dataDir, 'gitlab-lite', 'port'), 'utf8').trim();
    const token = readFileSync(path.join(demo.dataDir, 'gitlab-lite', 'root-token'), 'utf8').trim();
    const raw = await fetch(
      `http://127.0.0.1:${port}/api/v4/projects/${encodeURIComponent(forkPath)}/repository/files/swarm.py/raw?ref=main`,
      { headers: { 'private-token': token } },
    );
    expect(await raw.text()).toBe('print("from a Swarm task")\n');
  }, 300_000);
});
