import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import pino from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  containerName,
  createDockerSpawner,
  createWarmPool,
  sweepPoolLeftovers,
  type RunningWorkspace,
  type StorageKind,
  type WorkspaceSpec,
} from '../../src/workspaces/index.ts';
import { podmanSocket } from '../support/containers.ts';
import { testWorkspaceParts } from '../support/workspace-parts.ts';

const image = inject('notebookImage');
const docker = new Docker({ socketPath: podmanSocket });
const limits = { memoryBytes: 512 * 1024 * 1024, cpus: 1, pids: 256 };
const cleanUps: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const clean of cleanUps.reverse()) await clean();
});

/** A spawner with a warm pool of `size` on the test Podman, and what it needs to clean up after. */
function pooled(size: number, kind: StorageKind) {
  const root = mkdtempSync(path.join(tmpdir(), 'labgate-pool-'));
  const parts = testWorkspaceParts({ root, kind });
  const pool = createWarmPool({
    ...parts,
    uid: 1000,
    tmpBytes: 64 * 1024 * 1024,
    size,
    image,
    limits,
    log: pino({ level: process.env.POOL_LOG ?? 'silent' }),
    refillDelayMs: 100,
  });
  const spawner = createDockerSpawner({
    ...parts,
    pool,
    workspaceUid: 1000,
    tmpBytes: 64 * 1024 * 1024,
    readyTimeoutMs: 60_000,
  });
  const learners: Array<[string, string]> = [];
  cleanUps.push(async () => {
    await pool.close({ drain: true });
    await parts.forget(learners);
    await parts.close();
    rmSync(root, { recursive: true, force: true });
  });
  const spec = (userId: string): WorkspaceSpec => {
    learners.push([userId, 'ex1']);
    return {
      userId,
      assignment: 'ex1',
      image,
      baseUrl: `/user/${userId}/`,
      token: randomBytes(16).toString('hex'),
      limits,
    };
  };
  return { parts, pool, spawner, spec };
}

async function until(check: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const api = (target: string, s: WorkspaceSpec, route: string, init: RequestInit = {}) =>
  fetch(`${target}${s.baseUrl}api/${route}`, {
    ...init,
    headers: { authorization: `token ${s.token}`, 'content-type': 'application/json', ...init.headers },
  });

const inspect = (name: string) => docker.getContainer(name).inspect();
const portOf = async (name: string) => (await inspect(name)).NetworkSettings.Ports['8888/tcp']![0]!.HostPort;
const keyOf = async (name: string) =>
  (await inspect(name)).Config.Env.find((e) => e.startsWith('LABGATE_POOL_KEY='))!.split('=')[1]!;
const knock = (port: string, body: object) =>
  fetch(`http://127.0.0.1:${port}/claim`, { method: 'POST', body: JSON.stringify(body) }).then(
    (r) => r.status,
    () => 0,
  );

describe('the warm pool (WORKSPACE_WARM_POOL) on Podman', () => {
  for (const kind of ['image', 'folder'] as const) {
    it(`gives a first launch a started container that becomes the learner's; their files outlive it (${kind} storage)`, async () => {
      const { pool, spawner, spec } = pooled(1, kind);
      await pool.fill();
      const [entry] = await pool.waiting();
      expect(entry).toMatch(/^labgate-pool-[0-9a-f]{16}$/);
      const entryId = (await inspect(entry!)).Id;
      expect((await spawner.list()).map((w) => w.name)).not.toContain(entry);

      const s = spec(`pooled-${kind}`);
      await spawner.start(s);
      const ws = await spawner.waitReady(s);
      expect(ws.name).toBe(containerName(s.userId, s.assignment));
      expect((await inspect(ws.name)).Id).toBe(entryId);
      expect((await api(ws.target, s, 'status')).status).toBe(200);
      expect((await fetch(`${ws.target}${s.baseUrl}api/contents`)).status).toBe(403);
      const put = await api(ws.target, s, 'contents/answer.py', {
        method: 'PUT',
        body: JSON.stringify({ type: 'file', format: 'text', content: 'print(42)\n' }),
      });
      expect(put.status).toBe(201);
      // The server rehearsed its start while waiting; only the learner's one serves, kernels included.
      expect((await api(ws.target, s, 'kernels', { method: 'POST', body: '{}' })).status).toBe(201);
      const rehearsal = await fetch(`${ws.target}/labgate-pool/api/status`, {
        headers: { authorization: `token ${s.token}` },
      });
      expect(rehearsal.status).toBe(404);
      // The pool refills behind the launch with a new container.
      await until(async () => (await pool.waiting()).some((n) => n !== entry));

      const networks = Object.keys((await inspect(ws.name)).NetworkSettings.Networks);
      await spawner.stop(s.userId, s.assignment);
      const left = (await docker.listNetworks()).map((n) => n.Name);
      for (const n of networks) expect(left).not.toContain(n);
      const volumes = (await docker.listVolumes()).Volumes.map((v) => v.Name);
      expect(volumes.filter((v) => v === `labgate-ws-${entry!.slice('labgate-'.length)}`)).toEqual([]);

      // The next launch is a returning one: a new container on the learner's own files, the pool untouched.
      const waitingBefore = await pool.waiting();
      await spawner.start(s);
      const again = await spawner.waitReady(s);
      expect((await inspect(again.name)).Id).not.toBe(entryId);
      expect(await pool.waiting()).toEqual(waitingBefore);
      const file = await api(again.target, s, 'contents/answer.py?content=1');
      expect(((await file.json()) as { content: string }).content).toBe('print(42)\n');
    });
  }

  it('hands each of two learners launching together their own container', async () => {
    const { pool, spawner, spec } = pooled(2, 'image');
    await pool.fill();
    const entries = await pool.waiting();
    expect(entries).toHaveLength(2);
    const ids = await Promise.all(entries.map(async (n) => (await inspect(n)).Id));
    const [a, b] = [spec('together-a'), spec('together-b')];
    const [wa, wb] = (await Promise.all(
      [a, b].map(async (s) => (await spawner.start(s), spawner.waitReady(s))),
    )) as [RunningWorkspace, RunningWorkspace];
    const got = [(await inspect(wa.name)).Id, (await inspect(wb.name)).Id];
    expect(new Set(got).size).toBe(2);
    expect(got.sort()).toEqual(ids.sort());
    // Neither learner's token opens the other's server.
    expect((await api(wa.target, { ...a, token: b.token }, 'status')).status).toBe(403);
    expect((await api(wa.target, a, 'status')).status).toBe(200);
  });

  it('refills during a steady stream of launches, which never leaves it a quiet moment', async () => {
    const { pool, spec } = pooled(1, 'image');
    await pool.fill();
    // One launch every 40 ms, less than the 100 ms quiet time the refill waits for.
    const pooledLaunches: string[] = [];
    const end = Date.now() + 30_000;
    for (let i = 0; pooledLaunches.length < 2 && Date.now() < end; i++) {
      const s = spec(`stream-${i}`);
      if (await pool.claim(s, containerName(s.userId, s.assignment))) pooledLaunches.push(s.userId);
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(pooledLaunches).toHaveLength(2);
  });

  it('opens its door only to labgate: a wrong key is refused, and a claimed server takes no second claim', async () => {
    const { pool, spawner, spec } = pooled(1, 'image');
    await pool.fill();
    const [entry] = await pool.waiting();
    const port = await portOf(entry!);
    await until(
      async () =>
        (await fetch(`http://127.0.0.1:${port}/labgate-pool`).then(
          (r) => r.status,
          () => 0,
        )) === 200,
    );
    const intruder = { baseUrl: '/user/intruder/', token: 'intruder-token' };
    expect(await knock(port, { ...intruder, key: 'not-the-key' })).toBe(403);
    expect(await knock(port, { ...intruder })).toBe(403);
    expect(await pool.waiting()).toEqual([entry]);

    const s = spec('door-learner');
    await spawner.start(s);
    const ws = await spawner.waitReady(s);
    // Even with the key (it is in the container's environment), nobody re-points the server at themselves.
    const key = await keyOf(ws.name);
    expect(await knock(await portOf(ws.name), { ...intruder, key })).not.toBe(200);
    expect(
      (
        await fetch(`${ws.target}/user/intruder/api/status`, {
          headers: { authorization: 'token intruder-token' },
        })
      ).status,
    ).not.toBe(200);
    expect((await api(ws.target, s, 'status')).status).toBe(200);
  });

  it('sweeps pool networks and volumes whose container went behind its back, never those in use', async () => {
    const { pool, spawner, spec, parts } = pooled(1, 'image');
    await pool.fill();
    const s = spec('sweep-learner');
    await spawner.start(s);
    const ws = await spawner.waitReady(s);
    const info = await inspect(ws.name);
    const inUse = Object.keys(info.NetworkSettings.Networks).find((n) => n.startsWith('labgate-net-pool-'))!;
    const inUseVolume = info.Mounts.find((m) => m.Name?.startsWith('labgate-ws-pool-'))!.Name!;
    // What an operator's `podman rm -f` of a claimed workspace leaves behind.
    const orphan = `labgate-net-pool-${randomBytes(8).toString('hex')}`;
    const orphanVolume = `labgate-ws-pool-${randomBytes(8).toString('hex')}`;
    await docker.createNetwork({ Name: orphan, Driver: 'bridge' });
    await docker.createVolume({ Name: orphanVolume });
    await sweepPoolLeftovers(parts, 0);
    const networks = (await docker.listNetworks()).map((n) => n.Name);
    const volumes = (await docker.listVolumes()).Volumes.map((v) => v.Name);
    expect(networks).not.toContain(orphan);
    expect(volumes).not.toContain(orphanVolume);
    expect(networks).toContain(inUse);
    expect(volumes).toContain(inUseVolume);
    expect((await api(ws.target, s, 'status')).status).toBe(200);
  });
});
