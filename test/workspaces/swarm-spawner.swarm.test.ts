import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { containerName, type WorkspaceSpec } from '../../src/workspaces/index.ts';
import { ensureSwarm, swarmSocket, testSwarmParts } from '../support/swarm.ts';

// Workspaces as services of a real single-node Docker Swarm, beside Podman (scripts/ensure-swarm.sh).
const image = inject('notebookImage');
const storage = mkdtempSync(path.join(tmpdir(), 'labgate-swarm-'));
const network = `labgate-test-${process.pid}`;
const parts = testSwarmParts({ root: storage, network });
const { spawner, sandbox } = parts;
const docker = new Docker({ socketPath: swarmSocket });
const made: Array<[string, string]> = [];
const nodeLabel = { name: `labgate.test.${process.pid}`, value: 'workspaces' };

// Docker's install and the image's copy, the first time (another Swarm test file may hold the lock meanwhile).
beforeAll(() => ensureSwarm([image]), 300_000);
afterAll(async () => {
  await parts.forget(made);
  await labelNode(undefined);
  rmSync(storage, { recursive: true, force: true });
});

function spec(userId: string, over: Partial<WorkspaceSpec> = {}): WorkspaceSpec {
  made.push([userId, 'ex1']);
  return {
    userId,
    assignment: 'ex1',
    image,
    baseUrl: `/user/${encodeURIComponent(userId)}/`,
    token: randomBytes(16).toString('hex'),
    limits: { memoryBytes: 512 * 1024 * 1024, cpus: 1, pids: 256 },
    ...over,
  };
}

const start = async (s: WorkspaceSpec, on = spawner) => {
  await on.start(s);
  return on.waitReady(s);
};

const api = (target: string, s: WorkspaceSpec, route: string, init: RequestInit = {}) =>
  fetch(`${target}${s.baseUrl}api/${route}`, {
    ...init,
    headers: { authorization: `token ${s.token}`, 'content-type': 'application/json', ...init.headers },
  });

/** A command run as the learner in their sandbox: an exec in the task's container while it runs. */
async function asLearner(userId: string, argv: string[]) {
  const session = await sandbox.open({ userId, assignment: 'ex1', image, network: false });
  try {
    return (await session.run(argv)).stdout.toString('utf8');
  } finally {
    await session.close();
  }
}

/** Sets (or, undefined, removes) the test's label on the swarm's one node. */
async function labelNode(value: string | undefined) {
  const [node] = await docker.listNodes();
  const labels = { ...node!.Spec!.Labels };
  if (value) labels[nodeLabel.name] = value;
  else delete labels[nodeLabel.name];
  await docker.getNode(node!.ID).update({ version: node!.Version!.Index, ...node!.Spec, Labels: labels });
}

/** The containers of a service's tasks on the node (running ones only, or all that are left). */
const taskContainers = (name: string, status?: 'running') =>
  docker.listContainers({
    all: !status,
    filters: { label: [`com.docker.swarm.service.name=${name}`], ...(status ? { status: [status] } : {}) },
  });

describe('workspaces as Docker Swarm services', () => {
  it('runs one service per workspace, confined and limited, reached at its task address with the token and not without', async () => {
    const s = spec('swarm-a');
    const ws = await start(s);
    expect(ws.name).toBe(containerName('swarm-a', 'ex1'));
    // labgate on the host reaches the task on the node's docker_gwbridge (README, "Docker Swarm").
    expect(ws.target).toMatch(/^http:\/\/172\.\d+\.\d+\.\d+:8888$/);
    expect((await api(ws.target, s, 'status')).status).toBe(200);
    expect((await fetch(`${ws.target}${s.baseUrl}api/contents`)).status).toBe(403);

    const service = await docker.getService(ws.name).inspect();
    expect(service.Spec.Mode).toEqual({ Replicated: { Replicas: 1 } });
    expect(service.Spec.EndpointSpec.Mode).toBe('dnsrr');
    expect(service.Spec.Labels).toMatchObject({
      'org.labgate.user': 'swarm-a',
      'org.labgate.assignment': 'ex1',
    });
    expect(service.Spec.TaskTemplate.Resources).toEqual({
      Limits: { MemoryBytes: 512 << 20, NanoCPUs: 1e9, Pids: 256 },
      Reservations: { MemoryBytes: 128 << 20, NanoCPUs: 1e8 },
    });
    const c = service.Spec.TaskTemplate.ContainerSpec;
    expect(c).toMatchObject({ User: '1000:1000', ReadOnly: true, Init: true, CapabilityDrop: ['ALL'] });
    expect(JSON.stringify(c.Args)).not.toContain(s.token);
    const net = await docker.getNetwork(network).inspect();
    expect(service.Spec.TaskTemplate.Networks).toEqual([{ Target: net.Id }]);
    expect(net).toMatchObject({ Driver: 'overlay', Attachable: true });

    // What the learner's processes get: no capabilities, no privilege gain, the limits, a read-only image.
    const status = await asLearner('swarm-a', ['cat', '/proc/self/status']);
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(await asLearner('swarm-a', ['cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes'])).toBe(
      `${512 << 20}\n`,
    );
    expect(await asLearner('swarm-a', ['cat', '/sys/fs/cgroup/pids/pids.max'])).toBe('256\n');
    expect(await asLearner('swarm-a', ['sh', '-c', 'touch /etc/x 2>&1; id -u'])).toMatch(
      /Read-only file system[\s\S]*1000/,
    );

    const put = await api(ws.target, s, 'contents/answer.py', {
      method: 'PUT',
      body: JSON.stringify({ type: 'file', format: 'text', content: 'print(42)\n' }),
    });
    expect(put.status).toBe(201);
    expect(await asLearner('swarm-a', ['cat', 'answer.py'])).toBe('print(42)\n');
    expect((await spawner.list()).find((w) => w.name === ws.name)).toMatchObject({
      userId: 'swarm-a',
      assignment: 'ex1',
      state: 'running',
    });
  });

  it('answers on the overlay network to a container that joins it, as labgate’s replicas do in production', async () => {
    const s = spec('swarm-overlay');
    const ws = await start(s);
    const [task] = (await docker.listTasks({
      filters: { service: [ws.name], 'desired-state': ['running'] },
    })) as Array<{
      NetworksAttachments: Array<{ Network: { Spec: { Name: string } }; Addresses: string[] }>;
    }>;
    const address = task!.NetworksAttachments.find((n) => n.Network.Spec.Name === network)!.Addresses[0]!;
    const url = `http://${address.split('/')[0]}:8888${s.baseUrl}api/contents`;
    const probe = `import urllib.request as u
for h in ({"Authorization": "token ${s.token}"}, {}):
    try: print(u.urlopen(u.Request("${url}", headers=h), timeout=5).status)
    except Exception as e: print(getattr(e, "code", e))`;
    expect(await runOnOverlay(['python3', '-c', probe])).toBe('200\r\n403\r\n');
  });

  it('keeps the learner’s folder across stop and start; a stopped workspace has no service nor task left', async () => {
    const s = spec('swarm-b');
    const first = await start(s);
    const put = await api(first.target, s, 'contents/notes.md', {
      method: 'PUT',
      body: JSON.stringify({ type: 'file', format: 'text', content: 'mine\n' }),
    });
    expect(put.status).toBe(201);
    expect(await start({ ...s })).toEqual(first); // the next launch finds it running
    await spawner.stop('swarm-b', 'ex1');
    expect(await spawner.isRunning('swarm-b', 'ex1')).toBe(false);
    await expect(docker.getService(first.name).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await taskContainers(first.name, 'running')).toEqual([]);
    await expect.poll(() => taskContainers(first.name), { timeout: 15_000 }).toEqual([]);
    // Stopped: the file is still there, read in a short-lived sandbox on this engine.
    expect(await asLearner('swarm-b', ['cat', 'notes.md'])).toBe('mine\n');
    const again = await start(s);
    const listing = (await (await api(again.target, s, 'contents')).json()) as {
      content: Array<{ name: string }>;
    };
    expect(listing.content.map((f) => f.name)).toContain('notes.md');
  });

  it('fails the launch with Swarm’s reason when a task is rejected (an image no node has)', async () => {
    // A returning learner whose course link now names an image no node has: Swarm rejects the task.
    const s = spec('swarm-c');
    await start(s);
    await spawner.stop('swarm-c', 'ex1');
    const other = { ...s, image: 'localhost/labgate-no-such-image:1' };
    await spawner.start(other);
    const failure = spawner.waitReady(other);
    await expect(failure).rejects.toMatchObject({ code: 'WORKSPACE_TASK_FAILED' });
    await expect(failure).rejects.toThrow(
      /^Docker Swarm could not run the notebook server: No such image: localhost\/labgate-no-such-image:1\./,
    );
    // A first launch with it is refused before Swarm is asked: labgate's node prepares the folder with it.
    await expect(spawner.start(spec('swarm-c2', { image: other.image }))).rejects.toMatchObject({
      code: 'WORKSPACE_IMAGE_MISSING',
    });
  });

  it('places workspaces only on nodes with WORKSPACE_NODE_LABEL, and says so when no node has it', async () => {
    const pinned = testSwarmParts({ root: storage, network, nodeLabel, pendingMs: 2_000 });
    const s = spec('swarm-d');
    await pinned.spawner.start(s);
    const service = await docker.getService(containerName('swarm-d', 'ex1')).inspect();
    expect(service.Spec.TaskTemplate.Placement.Constraints).toEqual([
      `node.labels.${nodeLabel.name}==workspaces`,
    ]);
    await expect(pinned.spawner.waitReady(s)).rejects.toThrow(
      /^Docker Swarm could not run the notebook server: no suitable node \(scheduling constraints not satisfied on 1 node\)\./,
    );
    await labelNode('workspaces'); // the operator labels a node: the waiting task goes there
    const ws = await start(s, pinned.spawner);
    expect((await api(ws.target, s, 'status')).status).toBe(200);
  });

  it('removes the service and its task on reset, keeping the learner’s files', async () => {
    const s = spec('swarm-e');
    const ws = await start(s);
    await spawner.remove('swarm-e', 'ex1');
    expect((await spawner.list()).map((w) => w.name)).not.toContain(ws.name);
    expect(await taskContainers(ws.name, 'running')).toEqual([]);
    await expect.poll(() => taskContainers(ws.name), { timeout: 15_000 }).toEqual([]);
    expect(await spawner.hasStorage('swarm-e', 'ex1')).toBe(true);
  });
});

/** Runs a command in a throwaway container on the test's overlay network; its output. */
async function runOnOverlay(cmd: string[]) {
  const c = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    Tty: true, // plain output, no stream frames
    Labels: { 'org.labgate.test': 'swarm' },
    HostConfig: { NetworkMode: network },
  });
  try {
    await c.start();
    await c.wait();
    return (await c.logs({ stdout: true, stderr: true })).toString('utf8');
  } finally {
    await c.remove({ force: true });
  }
}
