import type { RunningWorkspace, WorkspaceSpec } from './spawner.ts';

/** A notebook larger than this is not read for its kernel's name: JupyterLab starts it as usual. */
const maxNotebookBytes = 8 * 1024 * 1024;

/** A JSON answer of the learner's server, read up to `max` bytes (undefined past that, or not JSON). */
async function readJson(res: Response, max: number): Promise<unknown> {
  if (!res.ok || !res.body) return undefined;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  for (let size = 0; ;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) return void (await reader.cancel());
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const field = (o: unknown, key: string): unknown =>
  o !== null && typeof o === 'object' && Object.hasOwn(o, key)
    ? (o as Record<string, unknown>)[key]
    : undefined;

/**
 * Starts the kernel of the notebook a learner lands in, as JupyterLab would on opening it (a session
 * for its path, with the kernel its metadata names), while the browser still loads JupyterLab, which
 * then joins that session instead of starting a kernel of its own. Everything comes from the learner's
 * server, which the learner controls: answers are read capped and checked, nothing else is done with
 * them, and a kernel the server does not offer, or any failure, leaves the opening to JupyterLab.
 * Resolves true once the session exists, false otherwise; never fails.
 */
export async function startNotebookKernel(
  running: Pick<RunningWorkspace, 'target'>,
  spec: Pick<WorkspaceSpec, 'baseUrl' | 'token'>,
  notebookPath: string,
): Promise<boolean> {
  if (!/\.ipynb$/i.test(notebookPath)) return false;
  const base = `${running.target}${spec.baseUrl}api/`;
  const call = (route: string, init: RequestInit = {}) =>
    fetch(`${base}${route}`, {
      ...init,
      redirect: 'error',
      headers: { authorization: `token ${spec.token}`, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
  const encoded = notebookPath.split('/').map(encodeURIComponent).join('/');
  const read = (route: string, max: number) =>
    call(route)
      .then((r) => readJson(r, max))
      .catch(() => undefined);
  const [notebook, specs, sessions] = await Promise.all([
    read(`contents/${encoded}?type=notebook&content=1`, maxNotebookBytes),
    read('kernelspecs', 1024 * 1024),
    read('sessions', 1024 * 1024),
  ]);
  const name = field(field(field(field(notebook, 'content'), 'metadata'), 'kernelspec'), 'name');
  if (typeof name !== 'string' || field(field(specs, 'kernelspecs'), name) === undefined) return false;
  // Already open (a second tab, or a launch resumed): JupyterLab joins the session there is.
  if (!Array.isArray(sessions) || sessions.some((s) => field(s, 'path') === notebookPath)) return false;
  const body = {
    path: notebookPath,
    type: 'notebook',
    name: notebookPath.split('/').pop(),
    kernel: { name },
  };
  return call('sessions', { method: 'POST', body: JSON.stringify(body) })
    .then(async (r) => (await r.arrayBuffer(), r.status === 201))
    .catch(() => false);
}
