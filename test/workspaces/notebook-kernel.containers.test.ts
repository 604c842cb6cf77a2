import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  startNotebookKernel,
  type RunningWorkspace,
  type WorkspaceSpec,
} from '../../src/workspaces/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { testWorkspaceParts } from '../support/workspace-parts.ts';

const root = mkdtempSync(path.join(tmpdir(), 'labgate-kernel-'));
const parts = testWorkspaceParts({ root, kind: 'folder' });
const spec: WorkspaceSpec = {
  userId: 'kernel-learner',
  assignment: 'ex1',
  image: inject('labImage'),
  baseUrl: '/user/kernel-learner/',
  token: randomBytes(16).toString('hex'),
  limits: { memoryBytes: 1024 * 1024 * 1024, cpus: 1, pids: 256 },
};
let ws: RunningWorkspace;
let browser: Browser | undefined;

const api = async (route: string, init: RequestInit = {}) => {
  const res = await fetch(`${ws.target}${spec.baseUrl}api/${route}`, {
    ...init,
    headers: { authorization: `token ${spec.token}`, 'content-type': 'application/json' },
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as unknown };
};
const notebook = (metadata: object) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata,
  cells: [{ cell_type: 'code', id: 'c1', metadata: {}, source: 'x = 1', outputs: [], execution_count: null }],
});
const put = (file: string, content: object) =>
  api(`contents/${file.split('/').map(encodeURIComponent).join('/')}`, {
    method: 'PUT',
    body: JSON.stringify({ type: 'notebook', format: 'json', content }),
  });
/** The sessions as path and kernel (activity and connections change as they are used). */
const sessions = async () =>
  ((await api('sessions')).body as Array<{ path: string; kernel: { id: string; name: string } }>).map(
    ({ path, kernel }) => ({ path, kernel: { id: kernel.id, name: kernel.name } }),
  );
const python = { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } };

beforeAll(async () => {
  await parts.spawner.start(spec);
  ws = await parts.spawner.waitReady(spec);
  await api('contents/un dossier', { method: 'PUT', body: JSON.stringify({ type: 'directory' }) });
  expect((await put('un dossier/exercice 1.ipynb', notebook(python))).status).toBe(201);
  expect((await put('ocaml.ipynb', notebook({ kernelspec: { name: 'ocaml-jupyter' } }))).status).toBe(201);
  expect((await put('bare.ipynb', notebook({}))).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await parts.forget([[spec.userId, spec.assignment]]);
  await parts.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the kernel of the notebook a learner lands in, started while JupyterLab loads', () => {
  it('starts the kernel the notebook names, once, and JupyterLab joins it instead of starting another', async () => {
    const file = 'un dossier/exercice 1.ipynb';
    expect(await startNotebookKernel(ws, spec, file)).toBe(true);
    const [session, ...others] = await sessions();
    expect(others).toEqual([]);
    expect(session).toMatchObject({ path: file, kernel: { name: 'python3' } });
    // Asked again (a second launch, a resumed one): the session there is stays the only one.
    expect(await startNotebookKernel(ws, spec, file)).toBe(false);
    expect(await sessions()).toHaveLength(1);

    browser = await launchBrowser();
    const page = await browser.newPage();
    const url = `${ws.target}${spec.baseUrl}lab/tree/${file.split('/').map(encodeURIComponent).join('/')}`;
    await page.goto(`${url}?token=${spec.token}`);
    await page
      .locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
      .first()
      .waitFor({ timeout: 90_000 });
    const kernels = (await api('kernels')).body as Array<{ id: string }>;
    expect(kernels.map((k) => k.id)).toEqual([session!.kernel.id]);
  }, 180_000);

  it('leaves to JupyterLab a notebook naming a kernel the server lacks, or none, and anything not a notebook', async () => {
    const before = await sessions();
    expect(await startNotebookKernel(ws, spec, 'ocaml.ipynb')).toBe(false);
    expect(await startNotebookKernel(ws, spec, 'bare.ipynb')).toBe(false);
    expect(await startNotebookKernel(ws, spec, 'missing.ipynb')).toBe(false);
    expect(await startNotebookKernel(ws, spec, 'un dossier')).toBe(false);
    expect(await sessions()).toEqual(before);
  });
});

describe('a learner’s server answering what it likes', () => {
  const hostile: Array<[string, (url: string) => [number, Record<string, string>, string | Buffer]]> = [
    // A notebook too big to read: labgate stops reading it and starts nothing.
    ['a notebook past the cap', () => [200, {}, Buffer.alloc(9 * 1024 * 1024, ' ')]],
    ['not JSON', () => [200, {}, '{"content": {"metadata": {"kernelspec": {"name": "python3"']],
    ['a redirect elsewhere', () => [302, { location: 'http://127.0.0.1:9/' }, '']],
    [
      'a kernel name that is no string',
      () => [200, {}, JSON.stringify({ content: { metadata: { kernelspec: { name: ['python3'] } } } })],
    ],
  ];
  const fair: (typeof hostile)[number] = [
    'a fair notebook (the control)',
    () => [200, {}, JSON.stringify({ content: { metadata: python } })],
  ];
  for (const [what, answer] of [fair, ...hostile])
    it(`starts ${what === fair[0] ? 'the kernel' : 'no kernel'} on ${what}`, async () => {
      const posts: string[] = [];
      const server: Server = createServer((req, res) => {
        if (req.method === 'POST') posts.push(req.url ?? '');
        const [status, headers, body] =
          req.method === 'POST'
            ? [201, {}, '{}']
            : req.url?.includes('/contents/')
              ? answer(req.url)
              : req.url?.endsWith('/kernelspecs')
                ? [200, {}, JSON.stringify({ kernelspecs: { python3: {} } })]
                : [200, {}, '[]'];
        res.writeHead(status, headers).end(body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as { port: number };
      try {
        const started = await startNotebookKernel({ target: `http://127.0.0.1:${port}` }, spec, 'ex.ipynb');
        expect(started).toBe(what === fair[0]);
        expect(posts).toEqual(what === fair[0] ? ['/user/kernel-learner/api/sessions'] : []);
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });
});
