import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createWorkspaceLauncher,
  type WorkspaceLaunchDeps,
  type WorkspaceLauncher,
} from '../../src/flows/index.ts';
import { createGitlabForge, createProvisioner, type Provisioner } from '../../src/forge/index.ts';
import { createWorkspaceStore, workspaceFolder, type Workspace } from '../../src/workspaces/index.ts';
import { rootToken, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { testWorkspaceParts } from '../support/workspace-parts.ts';

const image = inject('notebookImage');
const root = mkdtempSync(path.join(tmpdir(), 'labgate-launcher-'));
let parts: ReturnType<typeof testWorkspaceParts>;
let t: TestGitlab;
let d: TestDatabase;
let provisioner: Provisioner;
let launcher: WorkspaceLauncher;
let launcherDeps: WorkspaceLaunchDeps;
const users: string[] = [];

const spawner = {
  isRunning: (u: string, a: string) => parts.spawner.isRunning(u, a),
  remove: (u: string, a: string) => parts.spawner.remove(u, a),
};

/** A file of the learner's folder, read in their sandbox (labgate never reads it on the host). */
async function readFile(userId: string, file: string) {
  const session = await parts.sandbox.open({ userId, assignment: 'ex1', image, network: false });
  try {
    return (await session.read(file, 1024 * 1024))?.toString('utf8');
  } finally {
    await session.close();
  }
}

beforeAll(async () => {
  t = await startTestGitlab();
  parts = testWorkspaceParts({ root, forgeUrl: t.lite.url });
  d = await openTestDatabase();
  const teachers = await t.api.Groups.create('Teachers', 'teachers');
  await t.api.Projects.create({
    name: 'ex1',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  const forge = createGitlabForge({ url: t.lite.url, token: rootToken });
  provisioner = createProvisioner({
    db: d.db,
    forge,
    log: pino({ level: 'silent' }),
    options: { pollMs: 50 },
  });
  provisioner.start();
  launcherDeps = {
    forge,
    provisioner,
    spawner: parts.spawner,
    sandbox: parts.sandbox,
    workspaces: createWorkspaceStore(d.db),
    settings: {
      image,
      allowedImages: [],
      limits: { memoryBytes: 512 * 1024 * 1024, cpus: 1, pids: 256 },
      maxRunning: 3,
    },
  };
  launcher = createWorkspaceLauncher(launcherDeps);
});
afterAll(async () => {
  await parts.forget(users.map((u) => [u, 'ex1']));
  await provisioner.stop();
  await parts.close();
  await d.close();
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

async function launch(
  userId: string,
  extra: { image?: string; open?: Array<string | undefined> } = {},
  template = 'teachers/ex1',
  using = launcher,
): Promise<Workspace> {
  users.push(userId);
  const job = await provisioner.provision(userId, {
    kind: 'fork',
    person: { externUid: userId, username: userId, name: userId, email: `${userId}@x.invalid` },
    course: { id: 'c1', path: 'c1', name: 'C1' },
    assignment: { slug: 'ex1', title: 'Ex 1', template },
  });
  const ws = await using.launch({
    userId,
    courseId: 'c1',
    assignment: 'ex1',
    provisioningId: job.id,
    person: { name: userId, email: `${userId}@x.invalid` },
    ...extra,
  });
  await using.settled(ws.id);
  return (await createWorkspaceStore(d.db).find(ws.id))!;
}

describe('launching workspaces', () => {
  it('refuses an image the LMS link names that the server does not allow, and starts nothing', async () => {
    const ws = await launch('mallory', { image: 'docker.io/evil/miner:latest' });
    expect(ws.status).toBe('failed');
    expect(ws.error).toContain('"docker.io/evil/miner:latest", which this server does not allow');
    expect(await spawner.isRunning('mallory', 'ex1')).toBe(false);
  });

  it('starts the container while the fork is made, times each phase, and opens the file the link names', async () => {
    const ws = await launch('grace', { open: ['not-in-the-fork.ipynb', 'README.md'] });
    expect(ws.status).toBe('running');
    expect(ws.openPath).toBe('README.md');
    const timeline = launcher.timelineOf(ws.id)!;
    const span = (p: string) => timeline.phases.find((s) => s.phase === p)!;
    expect(timeline.phases.map((s) => s.phase).sort()).toEqual(['clone', 'container', 'fork', 'server']);
    expect(span('container').startMs).toBeLessThan(span('fork').endMs!); // not after the fork
    expect(span('clone').startMs).toBeGreaterThanOrEqual(span('fork').endMs!);
    expect(timeline.readyMs).toBeGreaterThanOrEqual(Math.max(span('clone').endMs!, span('server').endMs!));
    launcher.noteEntered(ws.id);
    launcher.noteEntered(ws.id); // the first page only
    expect(launcher.timelineOf(ws.id)!.phases.filter((s) => s.phase === 'page')).toHaveLength(1);
    // Out of the way of the server's cap, which the tests below count on.
    await spawner.remove('grace', 'ex1');
    await createWorkspaceStore(d.db).update(ws.id, { status: 'stopped', target: null });
  });

  it('clones a fork slower than its session’s wait in a session opened once the fork is there', async () => {
    // The clone's session opens while the fork is made; past its wait it closes (a session lives ten
    // minutes at most) and a new one opens when the forge is done.
    const opened: string[] = [];
    const patient = createWorkspaceLauncher({
      ...launcherDeps,
      sandbox: { open: async (target) => (opened.push(target.userId), parts.sandbox.open(target)) },
      settings: { ...launcherDeps.settings, forkWaitMs: 300 },
    });
    Object.assign(t.lite.knobs, { forkLatencyMs: 2_000 });
    try {
      const ws = await launch('ivan', {}, 'teachers/ex1', patient);
      expect(ws.status).toBe('running');
      expect(await readFile('ivan', 'README.md')).toBeDefined();
      expect(opened.filter((u) => u === 'ivan')).toHaveLength(2); // the one that waited, then the clone's
    } finally {
      Object.assign(t.lite.knobs, { forkLatencyMs: 0 });
    }
    await spawner.remove('ivan', 'ex1');
    await createWorkspaceStore(d.db).update(workspaceFolder('ivan', 'ex1'), {
      status: 'stopped',
      target: null,
    });
  });

  it('removes the container it started when the fork cannot be made', async () => {
    const ws = await launch('heidi', {}, 'teachers/no-such-template');
    expect(ws.status).toBe('failed');
    expect(await spawner.isRunning('heidi', 'ex1')).toBe(false);
  });

  it('repairs a workspace whose folder was deleted under its running container', async () => {
    const ws = await launch('alice');
    expect(ws.status).toBe('running');
    expect(await readFile('alice', 'README.md')).toBeDefined();
    rmSync(path.join(root, `${ws.id}.ext4`));
    const again = await launch('alice');
    expect(again.status).toBe('running');
    expect(await readFile('alice', 'README.md')).toBeDefined();
  });

  it('resets the environment (a new container) and keeps the learner’s files', async () => {
    const ws = await launch('bob');
    const session = await parts.sandbox.open({ userId: 'bob', assignment: 'ex1', image, network: false });
    await session.write('answer.py', 'print(1)\n');
    await session.close();
    const before = ws.target;
    const job = (await provisioner.listForUser('bob'))[0]!;
    const reset = await launcher.reset({
      userId: 'bob',
      courseId: 'c1',
      assignment: 'ex1',
      provisioningId: job.id,
      person: { name: 'bob', email: 'bob@x.invalid' },
    });
    await launcher.settled(reset.id);
    const after = (await createWorkspaceStore(d.db).find(ws.id))!;
    expect(after.status).toBe('running');
    expect(after.target).not.toBe(before);
    expect(await readFile('bob', 'answer.py')).toBe('print(1)\n');
  });

  it('resumes, after a restart, a launch that was under way when labgate stopped', async () => {
    const store = createWorkspaceStore(d.db);
    const ws = await launch('erin');
    await parts.spawner.remove('erin', 'ex1');
    // As a kill -9 in the middle of a launch leaves it: marked starting, with no launch running.
    await store.update(ws.id, {
      status: 'starting',
      step: 'container',
      target: null,
      request: { image, person: { name: 'Erin', email: 'erin@x.invalid' }, open: [undefined, 'README.md'] },
    });
    const restarted = createWorkspaceLauncher({
      forge: createGitlabForge({ url: t.lite.url, token: rootToken }),
      provisioner,
      spawner: parts.spawner,
      sandbox: parts.sandbox,
      workspaces: store,
      settings: {
        image,
        allowedImages: [],
        limits: { memoryBytes: 512 * 1024 * 1024, cpus: 1, pids: 256 },
        maxRunning: 10,
      },
    });
    await restarted.resumeInterrupted();
    await restarted.settled(ws.id);
    // As it was asked: the file to open too (the link's, the assignment's), not the first notebook.
    expect((await store.find(ws.id))!).toMatchObject({
      status: 'running',
      step: 'ready',
      openPath: 'README.md',
    });
    expect(await readFile('erin', 'README.md')).toBeDefined();
    await parts.spawner.remove('erin', 'ex1');
    await store.update(ws.id, { status: 'stopped', target: null });
  });

  it('says the server is full rather than starting more than the cap', async () => {
    await launch('carol'); // alice, bob and carol now run: the cap is 3
    const ws = await launch('dave');
    expect(ws.status).toBe('failed');
    expect(ws.error).toContain('All 3 workspaces of this server are in use');
  });

  it('stops idle workspaces, and a launch arriving while one is being stopped starts it again', async () => {
    const store = createWorkspaceStore(d.db);
    const carol = (await store.findFor('carol', 'c1'))!;
    const culling = launcher.cullIdle(Date.now() + 1_000);
    await expect
      .poll(async () => (await store.find(carol.id))!.status, { interval: 20, timeout: 30_000 })
      .toBe('stopped');
    const again = await launch('carol');
    await culling;
    expect(again.status).toBe('running');
    expect(await spawner.isRunning('carol', 'ex1')).toBe(true);
    expect(await spawner.isRunning('alice', 'ex1')).toBe(false);
    expect((await store.findFor('alice', 'c1'))!.status).toBe('stopped');
  });
});
