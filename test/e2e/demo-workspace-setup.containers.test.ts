import Docker from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { podmanSocket, removeWorkspaces } from '../support/containers.ts';
import { startDemoProcess } from '../support/labgate-process.ts';

// `npm start` with no WORKSPACE_IMAGE nor DOCKER_SOCKET finds Podman's socket and builds its JupyterLab
// image. Under a repository of its own, so that the build really runs (the Debian base the test setup
// made is found cached: only the JupyterLab layer is built, about a minute) and nothing else's is touched.
const repository = `localhost/labgate-lab-e2e-${process.pid}`;
const engine = new Docker({ socketPath: podmanSocket });
let browser: Browser;
const launched = new Set<string>();

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await removeWorkspaces(launched);
  for (const image of await engine.listImages({ filters: { reference: [repository] } }))
    await engine
      .getImage(image.Id)
      .remove({ force: true })
      .catch(() => undefined);
});

const setupState = (page: Page) => page.getByTestId('workspace-setup').getAttribute('data-state');

/** A learner's JupyterLab, checked as the learner sees it: its console, then an R cell run in it. */
async function checkJupyterLab(page: Page, failures: string[]) {
  const id = /\/user\/([0-9a-f]{20})\//.exec(page.url())![1]!;
  launched.add(id);
  await page.locator('.jp-LabShell').waitFor({ timeout: 60_000 });
  // JupyterLab asks for api/me and keeps the events socket open: with 404s it retried every few seconds.
  const ok = (what: RegExp) => failures.some((f) => f.startsWith('ok ') && what.test(f));
  await expect
    .poll(() => ok(/\/api\/me\b/) && ok(/\/api\/events\/subscribe/), { timeout: 30_000 })
    .toBe(true);
  await page.waitForTimeout(8_000);
  expect(failures.filter((f) => !f.startsWith('ok '))).toEqual([]);

  const status = await page.evaluate(async (base) => {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'ir', display_name: 'R', language: 'R' } },
      cells: [
        {
          cell_type: 'code',
          id: 'r1',
          source: 'cat(6 * 7)',
          metadata: {},
          outputs: [],
          execution_count: null,
        },
      ],
    };
    const r = await fetch(`${base}api/contents/r-check.ipynb`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'notebook', format: 'json', content: notebook }),
    });
    return r.status;
  }, `/user/${id}/`);
  expect(status).toBe(201);
  await page.goto(page.url().replace(/\/lab.*$/, '/lab/tree/r-check.ipynb'));
  // The exercise opened at entry stays in a tab behind: the visible notebook is this one.
  const cell = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').first();
  await page.getByText('R | Idle').waitFor({ timeout: 90_000 }); // IRkernel started
  await cell.locator('.cm-content').click();
  await page.keyboard.press('Shift+Enter');
  await expect.poll(() => cell.locator('.jp-OutputArea').textContent(), { timeout: 60_000 }).toContain('42');
}

/** api/me and the events WebSocket as the browser sees them: answered ("ok …"), or each failure. */
function watchJupyterApis(page: Page) {
  const seen: string[] = [];
  page.on('response', (r) => {
    if (!/\/api\/(me|events)\b/.test(r.url())) return;
    seen.push(r.status() === 200 ? `ok ${r.url()}` : `${r.status()} ${r.url()}`);
  });
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/api/events/subscribe')) return;
    seen.push(`ok ${ws.url()}`);
    ws.on('close', () => seen.push(`closed ${ws.url()}`));
    ws.on('socketerror', (e) => seen.push(`error ${ws.url()} ${e}`));
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /api\/(me|events)/.test(m.text())) seen.push(`console ${m.text()}`);
  });
  return seen;
}

describe('npm start prepares JupyterLab by itself', () => {
  it('builds the image once with its progress in the terminal and on the home page; a learner who launched meanwhile waits, then works in JupyterLab (R too)', async () => {
    const demo = await startDemoProcess({
      DOCKER_SOCKET: '',
      WORKSPACE_IMAGE_BUILD: 'on',
      WORKSPACE_IMAGE_REPOSITORY: repository,
    });
    try {
      const home = await browser.newPage();
      await home.goto(`${demo.url}/`);
      await expect.poll(() => setupState(home), { timeout: 60_000 }).toBe('building');
      expect(await home.getByTestId('setup-step').textContent()).toMatch(/Step \d\/7:/);
      await home.screenshot({ path: 'test-results/demo-setup-building.png' });

      const learner = await browser.newPage();
      const failures = watchJupyterApis(learner);
      await learner.goto(
        `${demo.url}/simulator/launch?role=learner&locale=en&userId=grace&name=Grace%20Hopper`,
      );
      await learner.waitForURL(/\/launch\/[0-9a-f]{20}$/);
      // The home page follows the build by itself, step after step, to its end.
      const steps = new Set<string>();
      await expect
        .poll(
          async () => {
            const step = await home
              .getByTestId('setup-step')
              .textContent({ timeout: 1_000 })
              .catch(() => '');
            if (step) steps.add(/Step (\d)\/7/.exec(step)?.[1] ?? '');
            return setupState(home);
          },
          { timeout: 480_000, interval: 1_000 },
        )
        .toBe('ready');
      expect(steps.size).toBeGreaterThan(1);
      expect(await home.getByTestId('workspace-setup').textContent()).toMatch(
        /JupyterLab is ready.*later starts reuse it/s,
      );
      expect(demo.output()).toMatch(
        /Preparing JupyterLab \(first start only\): step 7\/7, assembling the image/,
      );
      expect(demo.output()).toMatch(new RegExp(`JupyterLab is ready \\(built in .*\\): ${repository}:test-`));

      await learner.waitForURL(/\/user\/[0-9a-f]{20}\/lab/, { timeout: 180_000 });
      await checkJupyterLab(learner, failures);
      await learner.screenshot({ path: 'test-results/demo-setup-r-cell.png' });
    } finally {
      await demo.stop();
    }
  }, 720_000);

  it('a second start finds the image it built: workspaces are on at once', async () => {
    const demo = await startDemoProcess({
      DOCKER_SOCKET: '',
      WORKSPACE_IMAGE_BUILD: 'on',
      WORKSPACE_IMAGE_REPOSITORY: repository,
    });
    try {
      expect(demo.output()).toMatch(
        new RegExp(`Workspaces: JupyterLab image ${repository}:test-\\w+ on Podman at`),
      );
      expect(demo.output()).not.toContain('Preparing JupyterLab');
      const page = await browser.newPage();
      await page.goto(`${demo.url}/`);
      expect(await setupState(page)).toBe('ready');
      // Known before labgate listens: the image was looked up, not built.
      expect(demo.output().indexOf('Workspaces: JupyterLab image')).toBeLessThan(
        demo.output().indexOf('labgate demo is running'),
      );
    } finally {
      await demo.stop();
    }
  }, 60_000);

  it('with no engine answering, the demo runs without workspaces and says which command turns them on', async () => {
    const demo = await startDemoProcess({
      DOCKER_SOCKET: '/run/labgate-no-engine/docker.sock',
      WORKSPACE_IMAGE_BUILD: 'on',
    });
    try {
      expect(demo.output()).toMatch(/Workspaces are off: no Docker or Podman engine answers here/);
      expect(demo.output()).toContain('To turn workspaces on: sudo bash scripts/ensure-containers.sh');
      const page = await browser.newPage();
      await page.goto(`${demo.url}/?lang=en`);
      expect(await setupState(page)).toBe('no-engine');
      expect(await page.getByTestId('setup-fix').textContent()).toBe(
        'sudo bash scripts/ensure-containers.sh',
      );
      expect(await page.getByTestId('workspace-setup').textContent()).toContain(
        '/run/labgate-no-engine/docker.sock',
      );
      await page.screenshot({ path: 'test-results/demo-setup-no-engine.png' });
      // The rest of the demo works: a learner's launch ends on their home page, with their fork.
      await page.goto(`${demo.url}/simulator/launch?role=learner&locale=fr`);
      await page.waitForURL(`${demo.url}/home`);
      expect(await setupState(page)).toBe('no-engine');
      await expect
        .poll(() => page.getByTestId('provisioning').getAttribute('data-status'), { timeout: 30_000 })
        .toBe('done');
    } finally {
      await demo.stop();
    }
  }, 90_000);
});
