import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startGitlabLite } from '../../gitlab-lite/index.ts';
import { documentView } from '../grading/index.ts';
import { listenOnSavedPort } from './forge-port.ts';
import { demoGradingPath, demoTemplatePath } from './personas.ts';

const exec = promisify(execFile);
const templateDir = path.resolve(import.meta.dirname, '../../templates/demo-exercise');
const gradingDir = path.resolve(import.meta.dirname, '../../templates/demo-grading');

/** The root token lives next to gitlab-lite's data, readable by its owner only, and survives restarts. */
async function rootToken(dir: string): Promise<string> {
  const file = path.join(dir, 'root-token');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const token = `glpat-${randomBytes(24).toString('base64url')}`;
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    return token;
  }
}

async function api(url: string, token: string, method: string, route: string, body?: object) {
  const res = await fetch(`${url}/api/v4${route}`, {
    method,
    headers: { 'private-token': token, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok && res.status !== 404)
    throw new Error(`gitlab-lite ${method} ${route}: ${res.status} ${await res.text()}`);
  return res.ok ? ((await res.json()) as { id: number }) : undefined;
}

/** A project of the demo's teachers, pushed once from a folder of templates/. */
async function seedProject(url: string, token: string, project: string, dir: string) {
  if (await api(url, token, 'GET', `/projects/${encodeURIComponent(project)}`)) return;
  const group =
    (await api(url, token, 'GET', '/groups/teachers')) ??
    (await api(url, token, 'POST', '/groups', { name: 'Teachers', path: 'teachers' }));
  await api(url, token, 'POST', '/projects', { name: project.split('/')[1], namespace_id: group!.id });
  const work = await mkdtemp(path.join(tmpdir(), 'labgate-demo-template-'));
  try {
    await cp(dir, work, { recursive: true });
    const who = ['-c', 'user.name=Teacher', '-c', 'user.email=teacher@demo.labgate.invalid'];
    const git = (args: string[]) => exec('git', ['-C', work, ...who, ...args]);
    await git(['init', '--quiet', '--initial-branch=main']);
    await git(['add', '.']);
    await git(['commit', '--quiet', '-m', 'Exercise 1']);
    const remote = new URL(`${url}/${project}.git`);
    remote.username = 'root';
    remote.password = token;
    await git(['push', '--quiet', remote.href, 'main']);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const forgeDir = (dataDir: string) => path.join(dataDir, 'gitlab-lite');

/** The embedded forge's secrets: its root token and its database (users, tokens, OIDC client secret). */
export const demoForgeSecretFiles = (dataDir: string) =>
  ['root-token', 'gitlab-lite.db', 'gitlab-lite.db-wal', 'gitlab-lite.db-shm'].map((f) =>
    path.join(forgeDir(dataDir), f),
  );

/**
 * The trial's forge: gitlab-lite on loopback with its data in `<DATA_DIR>/gitlab-lite`, holding the
 * demo template, so that `npm start` shows a learner's first launch making their fork.
 */
export async function startDemoForge(dataDir: string) {
  const dir = forgeDir(dataDir);
  await mkdir(dir, { recursive: true });
  const token = await rootToken(dir);
  const lite = await listenOnSavedPort(
    dir,
    // labgate receives the forge's push hooks on loopback too.
    (port) =>
      startGitlabLite({
        port,
        dataDir: dir,
        rootToken: token,
        allowLocalHookUrls: true,
        renderer: documentView, // learners read their notebooks in the forge as labgate renders them
      }),
    (message) => console.warn(`labgate: ${message}`),
  );
  await seedProject(lite.url, token, demoTemplatePath, templateDir);
  await seedProject(lite.url, token, demoGradingPath, gradingDir);
  return { url: lite.url, token, close: lite.close, setOidc: lite.setOidc };
}
