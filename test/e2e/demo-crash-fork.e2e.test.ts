import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeWorkspaces } from '../support/containers.ts';
import { freePort } from '../support/labgate-process.ts';
import { openTestDatabase } from '../support/test-database.ts';

// A learner's first launch, the demo killed (`kill -9`, its whole process group) while the embedded
// forge is making their fork, the demo started again on the same data: the learner must get their fork,
// at an address that answers, however the forge's port went.
const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
let database: Awaited<ReturnType<typeof openTestDatabase>>;
let dataDir: string;
let port: number;
let demo: { child: ChildProcess; output: () => string } | undefined;
const forgeDir = () => path.join(dataDir, 'gitlab-lite');

async function startDemo() {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      LABGATE_USER: 'root', // the test reads the forge's files in its data folder
      PROVISION_LEASE_SECONDS: '3', // a killed process's jobs are taken up after this
      ...(database.kind === 'postgres' ? { DATABASE_URL: database.url } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Open http:\/\/\S+\/simulator/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the demo exited with ${code}:\n${output}`)));
  });
  demo = { child, output: () => output };
}

/** As a crash would: the whole process group at once, no shutdown; resolves once none of it is left. */
async function kill9() {
  const group = demo!.child.pid!;
  process.kill(-group, 'SIGKILL');
  demo = undefined;
  for (;;) {
    try {
      process.kill(-group, 0);
    } catch {
      return; // ESRCH: every process of the group is gone, and so are its sockets
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A learner clicking the activity in the simulator's LMS; resolves with their session cookie. */
async function launch(userId: string) {
  const base = `http://localhost:${port}`;
  const form = await (
    await fetch(`${base}/simulator/launch?role=learner&locale=en&userId=${userId}&name=${userId}`)
  ).text();
  const unescape = (s: string) =>
    s.replace(
      /&(amp|quot|#39|lt|gt);/g,
      (_, e: string) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[e]!,
    );
  const action = unescape(/action="([^"]+)"/.exec(form)![1]!);
  const fields = [...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m): [string, string] => [
    m[1]!,
    unescape(m[2]!),
  ]);
  const res = await fetch(action, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  expect(res.status).toBe(303);
  return /labgate_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
}

/** The learner's home page until their fork is ready: its "Open in GitLab" address. */
async function forkLink(cookie: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  let page = '';
  while (Date.now() < until) {
    page = await (await fetch(`http://localhost:${port}/home?stay`, { headers: { cookie } })).text();
    const href = /data-testid="open-in-gitlab"\s+data-web-url="([^"]+)"/.exec(page);
    if (href) return href[1]!;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the fork never became ready:\n${page}\n${demo?.output()}`);
}

/** Waits until the embedded forge has the learner's fork scheduled (being made), not yet copied. */
async function forkUnderWay(project: string) {
  for (let i = 0; i < 400; i++) {
    if (existsSync(path.join(forgeDir(), 'gitlab-lite.db'))) {
      const db = new Database(path.join(forgeDir(), 'gitlab-lite.db'), { readonly: true });
      const row = db.prepare('SELECT import_status FROM projects WHERE path = ?').get(project) as
        { import_status: string } | undefined;
      db.close();
      if (row?.import_status === 'scheduled' || row?.import_status === 'started') return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the fork ${project} was never under way`);
}

/** The fork answers at the address labgate gives: its page, and a clone with the forge's root token. */
async function expectForkWorks(webUrl: string) {
  const page = await fetch(webUrl, { redirect: 'manual' });
  expect([200, 302]).toContain(page.status);
  const url = new URL(`${webUrl}.git`);
  url.username = 'root';
  url.password = readFileSync(path.join(forgeDir(), 'root-token'), 'utf8').trim();
  const target = mkdtempSync(path.join(tmpdir(), 'labgate-fork-clone-'));
  try {
    await run('git', ['clone', '--quiet', url.href, target], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    expect(existsSync(path.join(target, '.git'))).toBe(true);
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'labgate-demo-crash-'));
  port = await freePort();
});
/** The workspaces the demo started for its learners (it finds Podman by itself), read from its database. */
async function demoWorkspaceIds(): Promise<string[]> {
  if (database.kind === 'postgres')
    return (await database.db.selectFrom('workspaces').select('id').execute()).map((w) => w.id);
  const file = path.join(dataDir, 'labgate.db');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT id FROM workspaces').all() as Array<{ id: string }>).map((w) => w.id);
  } finally {
    db.close();
  }
}

afterAll(async () => {
  if (demo) await kill9();
  await removeWorkspaces(await demoWorkspaceIds());
  rmSync(dataDir, { recursive: true, force: true });
  await database?.close();
});

describe('the demo killed while a learner’s fork is being made', () => {
  it('gives the learner their fork after a restart, on the forge’s same port', async () => {
    // Slow forks (gitlab-lite's knob, read at its start) leave time to kill the demo mid-fork.
    mkdirSync(forgeDir(), { recursive: true });
    writeFileSync(path.join(forgeDir(), 'knobs.json'), JSON.stringify({ forkLatencyMs: 60_000 }));
    await startDemo();
    unlinkSync(path.join(forgeDir(), 'knobs.json'));
    await launch('dana');
    await forkUnderWay('exercise-1-dana');
    const portFile = path.join(forgeDir(), 'port');
    const before = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : 'none';
    await kill9();

    await startDemo();
    const link = await forkLink(await launch('dana'));
    await expectForkWorks(link);
    expect(readFileSync(portFile, 'utf8').trim()).toBe(before);
    expect(new URL(link).port).toBe(before);
  }, 240_000);

  it('still gives it when the forge’s port was taken meanwhile: a new port, said so, links follow', async () => {
    const old = Number(readFileSync(path.join(forgeDir(), 'port'), 'utf8').trim());
    await kill9();
    const squatter: Server = createServer();
    await new Promise<void>((resolve, reject) => {
      squatter.once('error', reject);
      squatter.listen(old, '127.0.0.1', resolve);
    });
    try {
      await startDemo();
      expect(demo!.output()).toContain(`port ${old}`);
      const now = Number(readFileSync(path.join(forgeDir(), 'port'), 'utf8').trim());
      expect(now).not.toBe(old);
      const link = await forkLink(await launch('dana'));
      expect(Number(new URL(link).port)).toBe(now);
      await expectForkWorks(link);
    } finally {
      squatter.close();
    }
  }, 240_000);
});
