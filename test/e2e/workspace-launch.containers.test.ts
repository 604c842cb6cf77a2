import { request as httpRequest } from 'node:http';
import Docker from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { podmanSocket, removeWorkspaces } from '../support/containers.ts';
import { launchBrowser } from '../support/browser.ts';
import { startDemoProcess } from '../support/labgate-process.ts';

let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;

beforeAll(async () => {
  demo = await startDemoProcess({
    WORKSPACE_IMAGE: inject('notebookImage'),
    DOCKER_SOCKET: podmanSocket,
    WORKSPACE_IDLE_SECONDS: '8',
    WORKSPACE_MEMORY_MB: '512',
    WORKSPACE_ENTRY: 'tree', // the classic UI here; test/e2e/jupyterlab-git.containers.test.ts has JupyterLab
    WORKSPACE_TEACHER_ACCESS: 'on',
  });
  browser = await launchBrowser();
});
const launched = new Set<string>();
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await removeWorkspaces(launched);
});

/**
 * A request from Node to the workspace's own origin (`<id>.ws.localhost`, which Node cannot resolve):
 * to 127.0.0.1 with the Host header a browser sends. Resolves with the status.
 */
function toWorkspaceOrigin(url: string, o: { method?: string; headers?: Record<string, string> } = {}) {
  const u = new URL(url);
  return new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: u.port,
        path: u.pathname,
        method: o.method ?? 'GET',
        headers: { host: u.host, ...o.headers },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(o.method === 'POST' ? '{}' : undefined);
  });
}

/** From the simulator to the learner's workspace, through the live progress page. */
async function launch(page: Page, query = 'role=learner&locale=en') {
  await page.goto(`${demo.url}/simulator/launch?${query}`);
  await page.waitForURL(/\/user\/[0-9a-f]{20}\/(tree|notebooks)/, { timeout: 120_000 });
  const id = /\/user\/([0-9a-f]{20})\//.exec(page.url())![1]!;
  launched.add(id);
  return id;
}

/** Runs code in a new kernel through labgate's proxy: REST to start it, then its WebSocket channel. */
function runInKernel(page: Page, id: string, code: string): Promise<string> {
  const wsOrigin = new URL(page.url()).origin.replace(/^http/, 'ws');
  return page.evaluate(
    async ({ id, code, wsOrigin }) => {
      const base = `/user/${id}/api/kernels`;
      const kernel = (await (await fetch(base, { method: 'POST', body: '{}' })).json()) as { id: string };
      const ws = new WebSocket(`${wsOrigin}${base}/${kernel.id}/channels`);
      await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
      const msgId = crypto.randomUUID();
      const out = new Promise<string>((resolve) => {
        ws.onmessage = (e) => {
          const msg = JSON.parse(String(e.data)) as {
            msg_type: string;
            content: { text?: string };
            parent_header: { msg_id?: string };
          };
          if (msg.parent_header.msg_id === msgId && msg.msg_type === 'stream')
            resolve(msg.content.text ?? '');
        };
      });
      ws.send(
        JSON.stringify({
          header: {
            msg_id: msgId,
            msg_type: 'execute_request',
            username: '',
            session: crypto.randomUUID(),
            version: '5.3',
            date: new Date().toISOString(),
          },
          parent_header: {},
          metadata: {},
          content: { code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false },
          channel: 'shell',
        }),
      );
      return out;
    },
    { id, code, wsOrigin },
  );
}

describe('a learner’s workspace, from the LMS to a kernel, in a real browser and real containers', () => {
  let workspaceId = '';
  let learner: Page;

  it('goes from the launch through the progress page to Jupyter with the fork cloned, and runs code over WebSocket', async () => {
    learner = await browser.newPage();
    const seen: string[] = [];
    learner.on('framenavigated', (f) => f === learner.mainFrame() && seen.push(new URL(f.url()).pathname));
    workspaceId = await launch(learner);
    expect(seen).toContain(`/launch/${workspaceId}`);
    // They land in the exercise's notebook (the template's first), not on a file list.
    expect(seen).toContain(`/user/${workspaceId}/notebooks/exercice.ipynb`);
    expect(await learner.title()).not.toBe('');
    // The progress stream tells where the launch's time went, phase by phase.
    const stream = await learner.context().request.get(`${demo.url}/launch/${workspaceId}/events`);
    const last = JSON.parse(/data: (.*)\n\n$/.exec(await stream.text())![1]!) as {
      status: string;
      timeline: { phases: Array<{ phase: string; endMs: number }>; readyMs: number };
    };
    expect(last.status).toBe('running');
    expect(last.timeline.phases.map((p) => p.phase)).toEqual(
      expect.arrayContaining(['fork', 'container', 'server', 'clone']),
    );
    expect(last.timeline.readyMs).toBeGreaterThan(0);
    const files = (await learner.evaluate(
      async (id) => (await fetch(`/user/${id}/api/contents`)).json(),
      workspaceId,
    )) as {
      content: Array<{ name: string }>;
    };
    expect(files.content.map((f) => f.name)).toEqual(expect.arrayContaining(['exercice.ipynb', 'README.md']));
    expect(await runInKernel(learner, workspaceId, 'print(6 * 7)')).toBe('42\n');
  }, 180_000);

  it('never lets another learner reach that workspace', async () => {
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${demo.url}/simulator/launch?role=learner&locale=en&userId=someone-else&name=Eve`);
    await other.waitForURL(/\/user\/[0-9a-f]{20}\/(tree|notebooks)/, { timeout: 120_000 });
    launched.add(/\/user\/([0-9a-f]{20})\//.exec(other.url())![1]!);
    const status = await other.evaluate(
      async (id) => (await fetch(`/user/${id}/api/contents`)).status,
      workspaceId,
    );
    expect(status).toBe(403);
    // The workspace lives on its own origin (the demo's default), where only its own cookie counts.
    const contents = `${new URL(learner.url()).origin}/user/${workspaceId}/api/contents`;
    expect(new URL(contents).hostname).toBe(`${workspaceId}.ws.localhost`);
    expect(await toWorkspaceOrigin(contents)).toBe(401);
    const cookies = await learner.context().cookies();
    const session = cookies.find((c) => c.name === 'labgate_session')!;
    expect(
      await toWorkspaceOrigin(contents, { headers: { cookie: `labgate_session=${session.value}` } }),
    ).toBe(401);
    // Another site cannot use the learner's own cookie to start a kernel in their workspace.
    const pass = cookies.find((c) => c.name === 'labgate_ws' && c.domain === new URL(contents).hostname)!;
    const forged = await toWorkspaceOrigin(contents.replace('/contents', '/kernels'), {
      method: 'POST',
      headers: {
        cookie: `labgate_ws=${pass.value}`,
        origin: 'https://evil.example',
        'content-type': 'text/plain',
      },
    });
    expect(forged).toBe(403);
    expect(await toWorkspaceOrigin(contents, { headers: { cookie: `labgate_ws=${pass.value}` } })).toBe(200);
    // labgate's own origin serves no workspace: it sends pages on to the workspace's origin.
    const bounced = await fetch(`${demo.url}/user/${workspaceId}/api/contents`, {
      headers: { cookie: `labgate_session=${session.value}` },
      redirect: 'manual',
    });
    expect(bounced.status).toBe(303);
    expect(bounced.headers.get('location')).toBe(contents);
  }, 180_000);

  it('answers the git buttons’ API for the owner: status, commit & push to the fork, errors in their language', async () => {
    const call = (page: Page, op: string, body: unknown, headers: Record<string, string> = {}) =>
      page.evaluate(
        async ({ id, op, body, headers }) => {
          const r = await fetch(`/user/${id}/git-api/${op}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify(body),
          });
          return { status: r.status, body: (await r.json()) as Record<string, unknown> };
        },
        { id: workspaceId, op, body, headers },
      );
    const status = await call(learner, 'status', {});
    expect(status).toMatchObject({ status: 200, body: { branch: 'main', ahead: 0, teacherUpdates: 0 } });
    await learner.evaluate(async (id) => {
      await fetch(`/user/${id}/api/contents/answer.txt`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'file', format: 'text', content: '42\n' }),
      });
    }, workspaceId);
    const commit = await call(learner, 'commit', { message: 'My answer' });
    expect(commit).toMatchObject({
      status: 200,
      body: { committed: true, pushed: true, files: ['answer.txt'] },
    });
    const open = await call(learner, 'open', { path: 'answer.txt' });
    // Through labgate, which signs the forge in as this learner first, then to the file.
    const opened = new URL(String(open.body['url']));
    expect(opened.pathname).toBe('/forge/open');
    expect(opened.searchParams.get('to')).toMatch(/\/-\/blob\/[0-9a-f]{40}\/answer\.txt$/);
    expect(
      await call(learner, 'open', { path: '../../etc/passwd' }, { 'accept-language': 'fr' }),
    ).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'GIT_BAD_PATH',
          message: expect.stringContaining('is not a file of your repository'),
        },
      },
    });
    expect(await call(learner, 'rebase', {})).toMatchObject({ status: 404 });
    // A form another site could post (no JSON content type) is refused.
    const forged = await learner.evaluate(
      async (id) =>
        (
          await fetch(`/user/${id}/git-api/status`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain' },
            body: '{}',
          })
        ).status,
      workspaceId,
    );
    expect(forged).toBe(415);
  }, 180_000);

  it('lets the course’s teacher into a learner’s workspace when configured, but not act with their git buttons', async () => {
    const teacher = await (await browser.newContext()).newPage();
    await teacher.goto(`${demo.url}/simulator/launch?role=teacher&locale=en&userId=prof&name=Prof`);
    await teacher.waitForURL(/\/home/);
    // The same entry as the learner's: a one-time code from labgate, then the workspace's own cookie.
    await teacher.goto(`${demo.url}/user/${workspaceId}/tree`);
    await teacher.waitForURL(`http://${workspaceId}.ws.localhost:*/user/${workspaceId}/tree**`);
    const seen = await teacher.evaluate(async (id) => {
      const files = await fetch(`/user/${id}/api/contents`);
      const git = await fetch(`/user/${id}/git-api/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return { files: files.status, git: git.status };
    }, workspaceId);
    expect(seen).toEqual({ files: 200, git: 403 });
    await teacher.context().close();
  }, 180_000);

  it('reuses the running container on the second launch, going straight in', async () => {
    const again = await browser.newPage();
    const started = Date.now();
    expect(await launch(again)).toBe(workspaceId);
    expect(Date.now() - started).toBeLessThan(30_000);
    await again.close();
  }, 180_000);

  it('keeps a workspace whose only traffic is a running kernel’s WebSocket', async () => {
    const container = new Docker({ socketPath: podmanSocket }).getContainer(`labgate-ws-${workspaceId}`);
    // 14 s of cells sent over the kernel's socket alone, past the 8 s idle limit.
    const answers = await learner.evaluate(
      async ({ id, wsOrigin }) => {
        const base = `/user/${id}/api/kernels`;
        const kernel = (await (await fetch(base, { method: 'POST', body: '{}' })).json()) as { id: string };
        const ws = new WebSocket(`${wsOrigin}${base}/${kernel.id}/channels`);
        await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
        let replies = 0;
        ws.onmessage = (e) => {
          if ((JSON.parse(String(e.data)) as { msg_type: string }).msg_type === 'execute_reply') replies++;
        };
        for (let i = 0; i < 14; i++) {
          ws.send(
            JSON.stringify({
              header: {
                msg_id: crypto.randomUUID(),
                msg_type: 'execute_request',
                username: '',
                session: 's',
                version: '5.3',
                date: new Date().toISOString(),
              },
              parent_header: {},
              metadata: {},
              content: {
                code: `${i}`,
                silent: false,
                store_history: false,
                user_expressions: {},
                allow_stdin: false,
              },
              channel: 'shell',
            }),
          );
          await new Promise((r) => setTimeout(r, 1_000));
        }
        ws.close();
        return replies;
      },
      { id: workspaceId, wsOrigin: new URL(learner.url()).origin.replace(/^http/, 'ws') },
    );
    expect(answers).toBeGreaterThan(10);
    expect((await container.inspect()).State.Running).toBe(true);
  }, 180_000);

  it('stops an idle workspace, and a relaunch brings it back with the learner’s files', async () => {
    expect(await runInKernel(learner, workspaceId, "print(open('mine.txt', 'w').write('kept'))")).toBe('4\n');
    await learner.close();
    const container = new Docker({ socketPath: podmanSocket }).getContainer(`labgate-ws-${workspaceId}`);
    // The culler looks every 2 s for workspaces idle over 8 s.
    await expect
      .poll(
        async () =>
          container.inspect().then(
            (i) => i.State.Running,
            () => false,
          ),
        {
          timeout: 90_000,
          interval: 1_000,
        },
      )
      .toBe(false);
    const back = await browser.newPage();
    await launch(back);
    const file = (await back.evaluate(
      async (id) => (await fetch(`/user/${id}/api/contents/mine.txt`)).json(),
      workspaceId,
    )) as { content: string };
    expect(file.content).toBe('kept');
    await back.close();
  }, 180_000);
});
