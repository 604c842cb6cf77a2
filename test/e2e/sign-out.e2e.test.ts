import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { podmanSocket, readInWorkspace, removeWorkspaces } from '../support/containers.ts';
import { startDemoProcess } from '../support/labgate-process.ts';
import { openTestDatabase } from '../support/test-database.ts';

// A shared computer: learners one after another in one browser, each signing out (or not) before the next.
let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;
let database: Awaited<ReturnType<typeof openTestDatabase>>;
const contexts: BrowserContext[] = [];
const workspaceIds = new Set<string>();
const docker = new Docker({ socketPath: podmanSocket });

beforeAll(async () => {
  database = await openTestDatabase();
  demo = await startDemoProcess({
    WORKSPACE_IMAGE: inject('notebookImage'),
    WORKSPACE_ENTRY: 'tree',
    DOCKER_SOCKET: podmanSocket,
    ...(database.kind === 'postgres' ? { DATABASE_URL: database.url } : {}),
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await demo?.stop();
  await database?.close();
  await removeWorkspaces(workspaceIds);
});

async function newBrowserWindow(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  contexts.push(context);
  return context.newPage();
}

/** A learner's launch from the simulator: they land in their workspace, as before. */
async function launch(page: Page, who: string) {
  await page.goto(`${demo.url}/simulator/launch?role=learner&locale=en&userId=${who}&name=${who}`);
  await page.waitForURL(/\/user\/[0-9a-f]{20}\/(tree|notebooks)/, { timeout: 180_000 });
  const id = /\/user\/([0-9a-f]{20})\//.exec(page.url())![1]!;
  workspaceIds.add(id);
  return id;
}

/** The home page's Open in GitLab, in the new tab it opens, once the forge's page is there. */
async function openGitlab(home: Page): Promise<Page> {
  await home.goto(`${demo.url}/home?lang=en`);
  const [tab] = await Promise.all([
    home.context().waitForEvent('page'),
    home.getByTestId('open-in-gitlab').click(),
  ]);
  await tab!.locator('[data-testid=project-name], [data-testid=not-found], main').first().waitFor();
  return tab!;
}

async function signOutFromHome(home: Page) {
  await home.goto(`${demo.url}/home?lang=en`);
  await home.getByTestId('sign-out').click();
  await home.getByTestId('signed-out').waitFor();
}

const signedInAs = async (forgePage: Page) =>
  (await forgePage.getByTestId('signed-in-as').count())
    ? (await forgePage.getByTestId('signed-in-as').textContent())!.replace(/^@/, '')
    : undefined;

/** The learner's own project on the forge, from the home page's fork line. */
const ownProject = async (home: Page) =>
  (await home.locator('[data-testid=provisioning] code').textContent())!;

interface Probe {
  socketClosed?: boolean;
}

/** In the workspace's page: starts a kernel and opens its channels' WebSocket; its closing is noted. */
async function openKernelSocket(workspaceId: string) {
  const res = await fetch(`/user/${workspaceId}/api/kernels`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`no kernel: ${res.status}`);
  const { id } = (await res.json()) as { id: string };
  const origin = (globalThis as unknown as { location: { origin: string } }).location.origin;
  const url = `${origin.replace(/^http/, 'ws')}/user/${workspaceId}/api/kernels/${id}/channels`;
  await new Promise<void>((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error('the kernel socket did not open'));
    socket.onclose = () => ((globalThis as unknown as Probe).socketClosed = true);
  });
}

async function writeInWorkspace(id: string, file: string, content: string) {
  const exec = await docker.getContainer(`labgate-ws-${id}`).exec({
    Cmd: ['sh', '-c', 'cat > "$0"', `/home/learner/work/${file}`],
    User: '1000:1000',
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: true });
  docker.modem.demuxStream(stream, new PassThrough().resume(), new PassThrough().resume());
  stream.end(content);
  await new Promise((resolve) => stream.on('end', resolve));
  expect((await exec.inspect()).ExitCode).toBe(0);
}

describe('a learner’s home, sign-out and reset on a shared computer (a real browser)', () => {
  it('keeps the home page once in, with Sign out; signing out closes JupyterLab and the forge', async () => {
    const workspace = await newBrowserWindow();
    const id = await launch(workspace, 'ada');
    const home = await workspace.context().newPage();
    await home.goto(`${demo.url}/home?lang=en`);
    expect(new URL(home.url()).pathname).toBe('/home'); // no forced redirect to the workspace
    await home.getByTestId('open-jupyterlab').waitFor();
    await home.getByTestId('open-in-gitlab').waitFor();
    expect(await home.getByTestId('sign-out').textContent()).toContain('Sign out');
    if (process.env.LABGATE_SCREENSHOTS) {
      mkdirSync(process.env.LABGATE_SCREENSHOTS, { recursive: true });
      await home.screenshot({ path: path.join(process.env.LABGATE_SCREENSHOTS, 'home.png'), fullPage: true });
    }
    // Open my JupyterLab goes back in.
    await home.getByTestId('open-jupyterlab').click();
    await home.waitForURL(new RegExp(`/user/${id}/(tree|notebooks)`));
    const forge = await openGitlab(home);
    expect(await signedInAs(forge)).toMatch(/^ada/);
    const project = forge.url();
    // A kernel's WebSocket open in the JupyterLab tab, as when a notebook runs.
    await workspace.evaluate(openKernelSocket, id);

    await signOutFromHome(home);
    expect(await home.textContent('main')).toContain('signed out of labgate and of GitLab');
    // The JupyterLab tab: its open socket is closed, its next request fails, a reload says why.
    await workspace.waitForFunction(() => (globalThis as unknown as Probe).socketClosed === true, undefined, {
      timeout: 20_000,
    });
    const status = await workspace.evaluate(
      async (p) =>
        (await fetch(`/user/${p}/api/contents`, { headers: { accept: 'application/json' } })).status,
      id,
    );
    expect(status).toBe(401);
    expect((await workspace.reload())?.status()).toBe(401);
    await workspace.getByTestId('signed-out').waitFor();
    // The forge no longer knows them: it asks labgate, which asks them to come in through their course.
    await forge.goto(project);
    await forge.waitForURL(new RegExp(`^${demo.url}/oidc/interaction/`));
    expect(await signedInAs(forge)).toBeUndefined();
    expect(await forge.textContent('body')).toContain('not signed in to labgate');
  }, 400_000);

  it('signs the next learner in to the forge as themselves, signed out or not before', async () => {
    const page = await newBrowserWindow();
    await launch(page, 'ben');
    const benForge = await openGitlab(page);
    expect(await signedInAs(benForge)).toMatch(/^ben/);
    await signOutFromHome(page);

    await launch(page, 'cyd');
    await page.goto(`${demo.url}/home?lang=en`);
    const cydProject = await ownProject(page);
    const cydForge = await openGitlab(page);
    expect(await signedInAs(cydForge)).toMatch(/^cyd/);
    await cydForge.getByTestId('project-name').waitFor(); // their project, not a 404
    expect(cydForge.url()).toContain(cydProject);

    // dan comes next without cyd signing out: the forge follows labgate's session all the same.
    await launch(page, 'dan');
    const danForge = await openGitlab(page);
    expect(await signedInAs(danForge)).toMatch(/^dan/);
    await danForge.getByTestId('project-name').waitFor();
  }, 600_000);

  it('resets the environment from the home page, after a confirmation that says the files are kept', async () => {
    const page = await newBrowserWindow();
    const id = await launch(page, 'eve');
    await writeInWorkspace(id, 'kept.txt', 'written before the reset\n');
    const before = (await docker.getContainer(`labgate-ws-${id}`).inspect()).Id;
    await page.goto(`${demo.url}/home?lang=en`);
    await page.getByTestId('reset-environment').click();
    expect(await page.getByTestId('reset-kept').textContent()).toContain('Your files are kept');
    await page.getByTestId('confirm-reset').click();
    await page.waitForURL(new RegExp(`/user/${id}/(tree|notebooks)`), { timeout: 180_000 });
    const after = (await docker.getContainer(`labgate-ws-${id}`).inspect()).Id;
    expect(after).not.toBe(before);
    expect(await readInWorkspace(id, 'kept.txt')).toBe('written before the reset\n');
  }, 400_000);
});
