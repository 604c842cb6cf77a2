import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { podmanSocket, removeWorkspaces } from '../support/containers.ts';
import { startDemoProcess } from '../support/labgate-process.ts';

// Issue 11 point 6: a learner signs a notebook in their own container (the notary key is theirs) with
// a <script> output; their teacher opens it. The script must stay confined to that workspace's origin.
let browser: Browser;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;
const launched = new Set<string>();

beforeAll(async () => {
  // The demo on localhost puts each workspace on <id>.ws.localhost:<port>, which Chromium resolves.
  demo = await startDemoProcess({
    WORKSPACE_IMAGE: inject('labImage'),
    DOCKER_SOCKET: podmanSocket,
    WORKSPACE_ENTRY: 'lab',
    WORKSPACE_MEMORY_MB: '1024',
    WORKSPACE_TEACHER_ACCESS: 'on',
  });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await removeWorkspaces(launched);
});

async function launchLearner(userId: string) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${demo.url}/simulator/launch?role=learner&locale=en&userId=${userId}&name=${userId}`);
  await page.waitForURL(/\/user\/[0-9a-f]{20}\/lab/, { timeout: 180_000 });
  const id = /\/user\/([0-9a-f]{20})\//.exec(page.url())![1]!;
  launched.add(id);
  return { page, id, origin: new URL(page.url()).origin };
}

/** A Jupyter API call from a page of the workspace itself (its owner's browser). */
const api = (page: Page, path: string, init: { method?: string; body?: unknown } = {}) =>
  page.evaluate(
    async ({ path, init }) => {
      const r = await fetch(path, {
        method: init.method ?? 'GET',
        ...(init.body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }),
      });
      return { status: r.status, json: (await r.json().catch(() => undefined)) as unknown };
    },
    { path, init },
  );

/** What the learner's script does in whoever's browser opens the notebook. */
function attackScript(o: { labgate: string; a: string; b: string; originB: string; kernelB: string }) {
  return `(async () => {
  const o = ${JSON.stringify(o)};
  const el = document.getElementById('labgate-attack');
  const results = { origin: location.origin };
  const attempt = async (name, url, init = {}) => {
    try {
      const r = await fetch(url, { credentials: 'include', ...init });
      results[name] = { status: r.status, text: (await r.text()).slice(0, 300) };
    } catch (e) { results[name] = { error: String(e) }; }
  };
  // Its own workspace, first: proof that the script ran, with the authority of its own page.
  await attempt('marker', '/user/' + o.a + '/api/contents/attack-ran.txt', {
    method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'file', format: 'text', content: location.origin }) });
  // Another learner's files, through this origin, labgate's origin, and that learner's own origin.
  const routes = { Here: '', Labgate: o.labgate, B: o.originB };
  for (const [via, base] of Object.entries(routes)) await attempt('read' + via, base + '/user/' + o.b + '/api/contents');
  // Starting a kernel there, the same three ways.
  for (const [via, base] of Object.entries(routes)) await attempt('kernel' + via, base + '/user/' + o.b + '/api/kernels', { method: 'POST', body: '{}' });
  // Running code in the kernel that learner has open, over its WebSocket.
  for (const [via, base] of Object.entries({ ...routes, Here: location.origin })) {
    results['socket' + via] = await new Promise((resolve) => {
      const ws = new WebSocket(base.replace(/^http/, 'ws') + '/user/' + o.b + '/api/kernels/' + o.kernelB + '/channels');
      ws.onerror = () => resolve('refused');
      ws.onopen = () => {
        ws.send(JSON.stringify({
          header: { msg_id: crypto.randomUUID(), msg_type: 'execute_request', username: '', session: crypto.randomUUID(), version: '5.3', date: new Date().toISOString() },
          parent_header: {}, metadata: {}, channel: 'shell',
          content: { code: "open('pwned-" + via + ".txt', 'w').write('x')", silent: false, store_history: false, user_expressions: {}, allow_stdin: false } }));
        setTimeout(() => resolve('opened'), 2000);
      };
    });
  }
  // A state-changing request to labgate: sign the visitor out, with their CSRF token if it can be read.
  let csrf = '';
  try { csrf = /name="_csrf" value="([^"]+)"/.exec(await (await fetch(o.labgate + '/home?stay', { credentials: 'include' })).text())?.[1] ?? ''; } catch {}
  results.csrfRead = csrf !== '';
  await attempt('logout', o.labgate + '/logout', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=' + encodeURIComponent(csrf) });
  el.dataset.results = JSON.stringify(results);
  el.dataset.done = '1';
})();`;
}

describe('a learner’s trusted notebook opened by their teacher, in a real browser and real containers', () => {
  it('runs its script confined to the learner’s workspace origin', async () => {
    const a = await launchLearner('alice');
    const b = await launchLearner('bob');
    // Bob works: a kernel of his is running.
    const kernel = await api(b.page, `/user/${b.id}/api/kernels`, { method: 'POST', body: {} });
    expect(kernel.status).toBe(201);
    const kernelB = (kernel.json as { id: string }).id;

    // Alice saves a notebook whose output is HTML with a script, marked trusted: her Jupyter server signs
    // it with her notary key, so that it opens trusted (scripts run) for anyone.
    const script = attackScript({ labgate: demo.url, a: a.id, b: b.id, originB: b.origin, kernelB });
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      cells: [
        {
          id: 'results',
          cell_type: 'code',
          execution_count: 1,
          metadata: { trusted: true },
          source: 'show_results()',
          outputs: [
            {
              output_type: 'display_data',
              metadata: {},
              data: { 'text/html': `<div id="labgate-attack">Résultats</div><script>${script}</script>` },
            },
          ],
        },
      ],
    };
    const saved = await api(a.page, `/user/${a.id}/api/contents/attack.ipynb`, {
      method: 'PUT',
      body: { type: 'notebook', format: 'json', content: notebook },
    });
    expect(saved.status).toBeLessThan(300);
    const reread = await api(a.page, `/user/${a.id}/api/contents/attack.ipynb`);
    expect(reread.json).toMatchObject({ content: { cells: [{ metadata: { trusted: true } }] } });

    // The teacher comes from the course, has already looked at Bob's work, then opens Alice's notebook.
    const teacher = await (await browser.newContext()).newPage();
    await teacher.goto(`${demo.url}/simulator/launch?role=teacher&locale=en&userId=prof&name=Prof`);
    await teacher.waitForURL(/\/home/);
    await teacher.goto(`${demo.url}/user/${b.id}/lab`);
    await teacher.waitForURL(`${b.origin}/user/${b.id}/lab**`, { timeout: 60_000 });
    await teacher.goto(`${demo.url}/user/${a.id}/lab/tree/attack.ipynb`);
    const output = teacher.locator('#labgate-attack[data-done]');
    await output.waitFor({ state: 'attached', timeout: 120_000 });
    const results = JSON.parse((await output.getAttribute('data-results'))!) as Record<
      string,
      { status?: number; text?: string; error?: string } | string | boolean
    >;

    // Soft: without per-workspace origins every one of these fails, and the run should say so.
    const check = expect.soft;
    // Each workspace answers on its own origin, not labgate's.
    check(a.origin).not.toBe(demo.url);
    check(b.origin).not.toBe(a.origin);
    // The script ran, on Alice's workspace origin, and could act on Alice's workspace (its own).
    expect(results['origin']).toBe(a.origin);
    expect(results['marker']).toMatchObject({ status: 201 });
    expect((await api(a.page, `/user/${a.id}/api/contents/attack-ran.txt`)).json).toMatchObject({
      content: a.origin,
    });

    // Every attempt on Bob's workspace failed: nothing read, no kernel started, no code run.
    for (const via of ['Here', 'Labgate', 'B']) {
      const read = results[`read${via}`] as { status?: number; text?: string };
      check(read.status === 200 || (read.text ?? '').includes('exercice.ipynb'), `read${via}`).toBe(false);
      check((results[`kernel${via}`] as { status?: number }).status, `kernel${via}`).not.toBe(201);
      check(results[`socket${via}`], `socket${via}`).toBe('refused');
    }
    // Bob's kernels: the test's, and the one of the exercise JupyterLab opened for him at entry.
    const sessions = (await api(b.page, `/user/${b.id}/api/sessions`)).json as Array<{
      path: string;
      kernel: { id: string };
    }>;
    const atEntry = sessions.filter((x) => x.path === 'exercice.ipynb').map((x) => x.kernel.id);
    const kernels = await api(b.page, `/user/${b.id}/api/kernels`);
    check((kernels.json as Array<{ id: string }>).map((k) => k.id).sort()).toEqual(
      [kernelB, ...atEntry].sort(),
    );
    const files = await api(b.page, `/user/${b.id}/api/contents`);
    check((files.json as { content: Array<{ name: string }> }).content.map((f) => f.name)).not.toContainEqual(
      expect.stringMatching(/^pwned/),
    );

    // labgate's own forms are out of its reach: the teacher is still signed in.
    check(results['csrfRead']).toBe(false);
    const home = await teacher.goto(`${demo.url}/home?stay`);
    check(home?.status(), 'the teacher is still signed in').toBe(200);
  }, 600_000);
});
