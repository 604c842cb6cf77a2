import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { containerName, createDockerSpawner, type WorkspaceSpec } from '../../src/workspaces/index.ts';
import { podmanSocket } from '../support/containers.ts';

const image = inject('notebookImage');
const storage = mkdtempSync(path.join(tmpdir(), 'labgate-workspaces-'));
const spawner = createDockerSpawner({ socketPath: podmanSocket, workspaceUid: 1000, readyTimeoutMs: 60_000 });
const docker = new Docker({ socketPath: podmanSocket });
const made: Array<[string, string]> = [];

afterAll(async () => {
  for (const [user, assignment] of made) await spawner.remove(user, assignment);
  rmSync(storage, { recursive: true, force: true });
});

function spec(userId: string, over: Partial<WorkspaceSpec> = {}): WorkspaceSpec {
  made.push([userId, 'ex1']);
  return {
    userId,
    assignment: 'ex1',
    image,
    workspaceDir: path.join(storage, userId.replace(/[^a-z0-9]/gi, '_')),
    baseUrl: `/user/${encodeURIComponent(userId)}/`,
    token: randomBytes(16).toString('hex'),
    limits: { memoryBytes: 512 * 1024 * 1024, cpus: 1, pids: 256 },
    ...over,
  };
}

const api = (target: string, s: WorkspaceSpec, route: string, init: RequestInit = {}) =>
  fetch(`${target}${s.baseUrl}api/${route}`, {
    ...init,
    headers: { authorization: `token ${s.token}`, 'content-type': 'application/json', ...init.headers },
  });

describe('workspaces in real containers (Podman’s Docker API)', () => {
  it('starts a Jupyter server under the learner’s base URL, with limits, their folder mounted, and a token required', async () => {
    const s = spec('learner-a');
    writeFileSync(path.join(storage, 'learner-a.keep'), '');
    const ws = await spawner.start(s);
    expect(ws.target).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await api(ws.target, s, 'status')).status).toBe(200);
    expect((await fetch(`${ws.target}${s.baseUrl}api/contents`)).status).toBe(403);
    const info = await docker.getContainer(ws.name).inspect();
    expect(info.HostConfig).toMatchObject({ Memory: 512 * 1024 * 1024, NanoCpus: 1e9, PidsLimit: 256 });
    expect(JSON.stringify(info.Config.Cmd)).not.toContain(s.token);
    const put = await api(ws.target, s, 'contents/answer.py', {
      method: 'PUT',
      body: JSON.stringify({ type: 'file', format: 'text', content: 'print(42)\n' }),
    });
    expect(put.status).toBe(201);
    expect(readFileSync(path.join(s.workspaceDir, 'answer.py'), 'utf8')).toBe('print(42)\n');
  });

  it('reuses the running container on the next launch, and keeps files across stop, start and reset', async () => {
    const s = spec('learner-b');
    const first = await spawner.start(s);
    writeFileSync(path.join(s.workspaceDir, 'notes.md'), 'mine\n');
    const again = await spawner.start({ ...s });
    expect(again).toEqual(first);
    await spawner.stop('learner-b', 'ex1');
    expect((await spawner.list()).find((w) => w.name === first.name)?.state).toBe('stopped');
    const restarted = await spawner.start(s);
    const listing = (await (await api(restarted.target, s, 'contents')).json()) as {
      content: Array<{ name: string }>;
    };
    expect(listing.content.map((f) => f.name)).toContain('notes.md');
    await spawner.remove('learner-b', 'ex1'); // "reset my environment"
    expect(existsSync(path.join(s.workspaceDir, 'notes.md'))).toBe(true);
    const fresh = await spawner.start(s);
    expect(fresh.name).toBe(first.name);
    expect((await api(fresh.target, s, 'contents/notes.md')).status).toBe(200);
  });

  it('names containers by a hash, whatever the LMS sent as an id', async () => {
    const hostile = 'x"; rm -rf / #../../etc';
    const s = spec(hostile);
    const ws = await spawner.start(s);
    expect(ws.name).toBe(containerName(hostile, 'ex1'));
    expect(ws.name).toMatch(/^labgate-ws-[0-9a-f]{20}$/);
    const listed = (await spawner.list()).find((w) => w.name === ws.name);
    expect(listed).toMatchObject({ userId: hostile, assignment: 'ex1', state: 'running' });
  });

  it('says clearly when the image is missing or the engine is down', async () => {
    await expect(
      spawner.start(spec('learner-c', { image: 'localhost/no-such-image:1' })),
    ).rejects.toMatchObject({
      code: 'WORKSPACE_IMAGE_MISSING',
    });
    const down = createDockerSpawner({
      socketPath: '/run/no-engine.sock',
      workspaceUid: 1000,
      readyTimeoutMs: 1000,
    });
    await expect(down.start(spec('learner-d'))).rejects.toMatchObject({ code: 'WORKSPACE_ENGINE_DOWN' });
  });
});
