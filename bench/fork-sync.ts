/**
 * Checking a class's forks against a template update (ahead, behind, would the merge conflict): forks
 * per minute in scratch sandboxes (a confined container each worker, Podman), against the same
 * gitops code with labgate's agent on a host folder (no container), in the same process, both with
 * two workers. Needs root, Podman and the test image (`bash scripts/ensure-containers.sh`).
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startGitlabLite } from '../gitlab-lite/index.ts';
import { createForkStateStore, createPushStore, type Assignment } from '../src/courses/index.ts';
import { createDatabase, migrateToLatest } from '../src/db/index.ts';
import { createForkSync } from '../src/flows/index.ts';
import { createGitlabForge, createProvisioner } from '../src/forge/index.ts';
import { createTemplateMirror } from '../src/gitops/index.ts';
import {
  agentCommand,
  connectAgent,
  connectEngine,
  createForgeRelay,
  createScratchSandboxes,
  createWorkspaceNetworks,
  createWorkspaceStorage,
  type SandboxSession,
  type ScratchTarget,
} from '../src/workspaces/index.ts';

const forks = Number(process.env.BENCH_FORKS ?? 40);
const image = execFileSync('bash', ['scripts/build-notebook-image.sh'], { encoding: 'utf8' }).trim();
const dir = mkdtempSync(path.join(tmpdir(), 'labgate-bench-forks-'));
const token = 'bench-root-token';
const lite = await startGitlabLite({ port: 0, dataDir: path.join(dir, 'forge'), rootToken: token });
const db = createDatabase(`sqlite://${path.join(dir, 'labgate.db')}`);
await migrateToLatest(db);
const forge = createGitlabForge({ url: lite.url, token });
// Async: the forge answers from this same process, so a blocking git would wait forever.
const git = (args: string[], cwd: string) => promisify(execFile)('git', args, { cwd });
const notebook = (q1: string) =>
  JSON.stringify({
    cells: [{ cell_type: 'code', id: 'q1', metadata: {}, execution_count: null, outputs: [], source: q1 }],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });
const pushTo = async (project: string, files: Record<string, string>) => {
  const work = mkdtempSync(path.join(dir, 'w-'));
  const url = new URL(`${lite.url}/${project}.git`);
  [url.username, url.password] = ['root', token];
  await git(['clone', '-q', url.href, work], dir);
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(work, f), text);
  await git(['add', '-A'], work);
  await git(['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'change'], work);
  await git(['push', '-q', 'origin', 'HEAD:main'], work);
};

const provisioner = createProvisioner({ db, forge, log: pino({ level: 'silent' }), options: { pollMs: 20 } });
const engine = connectEngine('/run/podman/podman.sock');
const relay = createForgeRelay({ port: Number(new URL(lite.url).port), log: pino({ level: 'silent' }) });
try {
  const group = (await forge.ensureGroup({ path: 'teachers', name: 'Teachers', marker: 'bench' })).id;
  const g = await forge.findProject('teachers/ex1').catch(() => undefined);
  if (!g)
    await fetch(`${lite.url}/api/v4/projects`, {
      method: 'POST',
      headers: { 'private-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ex1', namespace_id: group }),
    });
  await pushTo('teachers/ex1', { 'ex.ipynb': notebook('x = 1'), 'notes.txt': 'a\nb\nc\n' });
  provisioner.start();
  for (let i = 0; i < forks; i++)
    await provisioner.provision(`u${i}`, {
      kind: 'fork',
      person: { externUid: `u${i}`, username: `u${i}`, name: `U ${i}`, email: `u${i}@x.invalid` },
      course: { id: 'c', path: 'c', name: 'C' },
      assignment: { slug: 'ex1', title: 'Ex 1', template: 'teachers/ex1' },
    });
  while ((await provisioner.listForks('c', 'ex1')).length < forks)
    await new Promise((r) => setTimeout(r, 100));
  await provisioner.stop();
  const all = await provisioner.listForks('c', 'ex1');
  for (const [i, f] of all.entries())
    if (i % 2)
      await pushTo(f.state.fork!.pathWithNamespace, {
        'ex.ipynb': notebook(i % 4 === 1 ? 'x = 1  # mine' : 'x = 1'),
        'mine.txt': `${i}\n`,
      });
  await pushTo('teachers/ex1', { 'ex.ipynb': notebook('x = 10'), 'notes.txt': 'a\nB\nc\n' });

  const assignment: Assignment = {
    id: 'a',
    courseId: 'c',
    slug: 'ex1',
    title: 'Ex 1',
    template: 'teachers/ex1',
    gradingRepo: undefined,
    deadline: undefined,
    image: undefined,
    latePolicy: 'accept',
    feedbackReleasedAt: undefined,
    openFile: undefined,
  };
  const sandboxes = createScratchSandboxes({
    engine,
    storage: createWorkspaceStorage(engine, { kind: 'folder', root: dir, diskBytes: 1 << 30, uid: 1000 }),
    networks: createWorkspaceNetworks(engine),
    relay,
    uid: 1000,
    tmpBytes: 64 << 20,
    limits: { memoryBytes: 256 << 20, cpus: 1, pids: 128 },
    sessionSeconds: 3600,
  });
  /** labgate's agent as a child process on a host folder: the same work with no container around it. */
  const host = {
    open: async (): Promise<SandboxSession> => {
      const folder = mkdtempSync(path.join(dir, 'host-'));
      const [command, ...args] = agentCommand(folder, 3600);
      const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const s = await connectAgent({
        input: child.stdin,
        output: child.stdout,
        closed: () => exited,
        timeoutMs: 3_600_000,
      });
      return { ...s, forgeUrl: (url: string) => url };
    },
  };
  const run = async (scratch: { open: (t: ScratchTarget) => Promise<SandboxSession> }, label: string) => {
    const sync = createForkSync({
      forge,
      provisioner,
      scratch,
      templates: createTemplateMirror({ dir: path.join(dir, `mirror-${label}`), refreshMs: 0 }),
      states: createForkStateStore(db),
      pushes: createPushStore(db),
      settings: { image, workBytes: 128 << 20, concurrency: 2 },
      bot: { name: 'labgate', email: 'l@x.invalid' },
    });
    const started = performance.now();
    const outcomes = await sync.run(assignment, { update: false });
    const ms = performance.now() - started;
    const states = outcomes.map((o) =>
      'result' in o ? o.result.state : 'error' in o ? `error: ${o.error}` : 'skipped',
    );
    // By state, in a fixed order: the forks finish in any order with two workers.
    const tally = Object.entries(
      states.reduce<Record<string, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {}),
    ).sort(([a], [b]) => a.localeCompare(b));
    return { ms, perMinute: (forks * 60_000) / ms, tally: tally.map(([s, n]) => `${n} ${s}`).join(', ') };
  };
  const reference = await run(host, 'host');
  const sandboxed = await run(sandboxes, 'sandbox');
  console.log(`checking ${forks} forks against a template update, two workers (gitlab-lite in process):`);
  console.log(
    `  scratch sandboxes  ${sandboxed.ms.toFixed(0).padStart(6)} ms  ${sandboxed.perMinute.toFixed(0)} forks/min  (${sandboxed.tally})`,
  );
  console.log(
    `  host folder        ${reference.ms.toFixed(0).padStart(6)} ms  ${reference.perMinute.toFixed(0)} forks/min  (${reference.tally})`,
  );
  console.log(`  ratio (sandbox time / host time) ${(sandboxed.ms / reference.ms).toFixed(2)}`);
} finally {
  await relay.close();
  await lite.close();
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
}
