import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { containerName, type WorkspaceSpec } from '../../src/workspaces/index.ts';
import { podmanSocket } from '../support/containers.ts';
import { testWorkspaceParts } from '../support/workspace-parts.ts';

const image = inject('notebookImage');
const storage = mkdtempSync(path.join(tmpdir(), 'labgate-workspaces-'));
const parts = testWorkspaceParts({ root: storage });
const { spawner, sandbox } = parts;
const docker = new Docker({ socketPath: podmanSocket });
const made: Array<[string, string]> = [];

afterAll(async () => {
  await parts.forget(made);
  await parts.close();
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

const start = async (s: WorkspaceSpec) => {
  await spawner.start(s);
  return spawner.waitReady(s);
};

const api = (target: string, s: WorkspaceSpec, route: string, init: RequestInit = {}) =>
  fetch(`${target}${s.baseUrl}api/${route}`, {
    ...init,
    headers: { authorization: `token ${s.token}`, 'content-type': 'application/json', ...init.headers },
  });

/** A file of the learner's folder, read the only way labgate reads it: in their sandbox. */
async function readInSandbox(userId: string, file: string) {
  const session = await sandbox.open({ userId, assignment: 'ex1', image, network: false });
  try {
    return (await session.read(file, 1024 * 1024))?.toString('utf8');
  } finally {
    await session.close();
  }
}

describe('workspaces in real containers (Podman’s Docker API)', () => {
  it('starts a Jupyter server under the learner’s base URL, confined, with limits, their folder mounted, and a token required', async () => {
    const s = spec('learner-a');
    const ws = await start(s);
    expect(ws.target).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await api(ws.target, s, 'status')).status).toBe(200);
    expect((await fetch(`${ws.target}${s.baseUrl}api/contents`)).status).toBe(403);
    const info = await docker.getContainer(ws.name).inspect();
    expect(info.HostConfig).toMatchObject({
      Memory: 512 * 1024 * 1024,
      NanoCpus: 1e9,
      PidsLimit: 256,
      ReadonlyRootfs: true,
    });
    expect(info.HostConfig.CapDrop?.length).toBeGreaterThan(0);
    expect(info.HostConfig.SecurityOpt).toContain('no-new-privileges');
    expect(info.Config.User).toBe('1000:1000');
    expect(JSON.stringify(info.Config.Cmd)).not.toContain(s.token);
    const put = await api(ws.target, s, 'contents/answer.py', {
      method: 'PUT',
      body: JSON.stringify({ type: 'file', format: 'text', content: 'print(42)\n' }),
    });
    expect(put.status).toBe(201);
    expect(await readInSandbox('learner-a', 'answer.py')).toBe('print(42)\n');
  });

  it('reuses the running container on the next launch, and keeps files across stop, start and reset', async () => {
    const s = spec('learner-b');
    const first = await start(s);
    const put = await api(first.target, s, 'contents/notes.md', {
      method: 'PUT',
      body: JSON.stringify({ type: 'file', format: 'text', content: 'mine\n' }),
    });
    expect(put.status).toBe(201);
    expect(await start({ ...s })).toEqual(first);
    await spawner.stop('learner-b', 'ex1');
    expect(await spawner.isRunning('learner-b', 'ex1')).toBe(false);
    // Stopped: the file is still there, read in a short-lived sandbox.
    expect(await readInSandbox('learner-b', 'notes.md')).toBe('mine\n');
    const restarted = await start(s);
    const listing = (await (await api(restarted.target, s, 'contents')).json()) as {
      content: Array<{ name: string }>;
    };
    expect(listing.content.map((f) => f.name)).toContain('notes.md');
    await spawner.remove('learner-b', 'ex1'); // "reset my environment"
    expect(await spawner.hasStorage('learner-b', 'ex1')).toBe(true);
    const fresh = await start(s);
    expect(fresh.name).toBe(first.name);
    expect((await api(fresh.target, s, 'contents/notes.md')).status).toBe(200);
  });

  it('names containers by a hash, whatever the LMS sent as an id', async () => {
    const hostile = 'x"; rm -rf / #../../etc';
    const s = spec(hostile);
    const ws = await start(s);
    expect(ws.name).toBe(containerName(hostile, 'ex1'));
    expect(ws.name).toMatch(/^labgate-ws-[0-9a-f]{20}$/);
    const listed = (await spawner.list()).find((w) => w.name === ws.name);
    expect(listed).toMatchObject({ userId: hostile, assignment: 'ex1', state: 'running' });
  });

  it('says clearly when the image is missing or the engine is down', async () => {
    await expect(
      spawner.start(spec('learner-c', { image: 'localhost/no-such-image:1' })),
    ).rejects.toMatchObject({ code: 'WORKSPACE_IMAGE_MISSING' });
    const down = testWorkspaceParts({ root: storage });
    const { connectEngine, createDockerSpawner } = await import('../../src/workspaces/index.ts');
    const engine = connectEngine('/run/no-engine.sock');
    const broken = createDockerSpawner({
      ...down,
      engine,
      workspaceUid: 1000,
      tmpBytes: 1 << 24,
      readyTimeoutMs: 1000,
    });
    await expect(broken.start(spec('learner-d'))).rejects.toMatchObject({ code: 'WORKSPACE_ENGINE_DOWN' });
  });
});
