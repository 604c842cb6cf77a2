import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createDockerSpawner,
  createWarmPools,
  type WarmPoolsOptions,
  type WorkspaceSpec,
} from '../../src/workspaces/index.ts';
import { imageAlias, podmanSocket } from '../support/containers.ts';
import { testWorkspaceParts } from '../support/workspace-parts.ts';

// A second image: the test image under another name, as an operator's R or Julia image would be.
const image = inject('notebookImage');
const alias = imageAlias(image, 'localhost/labgate-pool-other');
const other = alias.name;
const docker = new Docker({ socketPath: podmanSocket });
const limits = { memoryBytes: 512 * 1024 * 1024, cpus: 1, pids: 256 };
const root = mkdtempSync(path.join(tmpdir(), 'labgate-pools-'));
const parts = testWorkspaceParts({ root, kind: 'folder' });
const learners: Array<[string, string]> = [];
const opened: Array<ReturnType<typeof createWarmPools>> = [];

beforeAll(async () => {
  await alias.tag();
});

afterAll(async () => {
  for (const pools of opened) await pools.close({ drain: true });
  await parts.forget(learners);
  await parts.close();
  await alias.remove();
  rmSync(root, { recursive: true, force: true });
});

/** Pools on the test Podman, all in the same storage place (one labgate's). */
function poolsOf(o: Pick<WarmPoolsOptions, 'size' | 'sizes' | 'allowedImages'>) {
  const pools = createWarmPools({
    ...parts,
    ...o,
    uid: 1000,
    tmpBytes: 64 * 1024 * 1024,
    image,
    limits,
    log: pino({ level: process.env.POOL_LOG ?? 'silent' }),
    refillDelayMs: 100,
  });
  opened.push(pools);
  const spawner = createDockerSpawner({
    ...parts,
    pool: pools,
    workspaceUid: 1000,
    tmpBytes: 64 * 1024 * 1024,
    readyTimeoutMs: 60_000,
  });
  return { pools, spawner };
}

const spec = (userId: string, of: string): WorkspaceSpec => {
  learners.push([userId, 'ex1']);
  return { userId, assignment: 'ex1', image: of, baseUrl: `/user/${userId}/`, token: 'a'.repeat(32), limits };
};

/** The image a workspace runs, and whether it came from a pool (a claimed container keeps its labels). */
async function made(name: string) {
  const info = await docker.getContainer(name).inspect();
  return { image: info.Config.Image, pooled: 'org.labgate.pool' in (info.Config.Labels ?? {}) };
}
const waitingOf = async (pools: ReturnType<typeof createWarmPools>, of: string) => {
  const names = await pools.waiting();
  const images = await Promise.all(names.map(async (n) => (await made(n)).image));
  return names.filter((_, i) => images[i] === of);
};
const waitingImages = async (pools: ReturnType<typeof createWarmPools>) =>
  (await Promise.all((await pools.waiting()).map(async (n) => (await made(n)).image))).sort();

async function until(check: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a warm pool per image (WORKSPACE_WARM_POOL) on Podman', () => {
  it('keeps each image its own containers in one place, and a launch takes one of its image', async () => {
    const { pools, spawner } = poolsOf({ size: 1, sizes: { [other]: 1 }, allowedImages: [other] });
    await pools.fill();
    expect(await waitingImages(pools)).toEqual([image, other].sort());
    const [defaultOne] = await waitingOf(pools, image);

    const s = spec('pools-other', other);
    await spawner.start(s);
    const ws = await spawner.waitReady(s);
    expect(await made(ws.name)).toEqual({ image: other, pooled: true });
    expect(
      (await fetch(`${ws.target}${s.baseUrl}api/status`, { headers: { authorization: `token ${s.token}` } }))
        .status,
    ).toBe(200);
    // The other image's refill leaves the default image's waiting container alone.
    await until(async () => (await waitingImages(pools)).length === 2);
    expect(await waitingImages(pools)).toEqual([image, other].sort());
    expect(await pools.waiting()).toContain(defaultOne);

    // Settings without the other image: its waiting container goes at the next fill, the default's stays.
    await pools.close();
    const { pools: after } = poolsOf({ size: 1, allowedImages: [] });
    await after.fill();
    expect(await waitingImages(after)).toEqual([image]);
    expect(await after.waiting()).toContain(defaultOne);
    // Of the other image's pool containers, only the learner's is left (a claimed one keeps its labels).
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`org.labgate.pool.image=${other}`] },
    });
    expect(left.map((c) => c.Names[0]?.replace(/^\//, ''))).toEqual([expect.stringMatching(/^labgate-ws-/)]);
  });

  it('pools an allowed image from the first launch that asks for it, and never one sized 0', async () => {
    const { pools, spawner } = poolsOf({ size: 1, allowedImages: [other] });
    await pools.fill();
    expect(await waitingImages(pools)).toEqual([image]);
    const first = spec('pools-asks-1', other);
    await spawner.start(first);
    expect(await made((await spawner.waitReady(first)).name)).toEqual({ image: other, pooled: false });
    await until(async () => (await waitingImages(pools)).includes(other));
    const second = spec('pools-asks-2', other);
    await spawner.start(second);
    expect(await made((await spawner.waitReady(second)).name)).toEqual({ image: other, pooled: true });
    await pools.close({ drain: true });

    const { pools: none, spawner: cold } = poolsOf({
      size: 1,
      sizes: { [other]: 0 },
      allowedImages: [other],
    });
    await none.fill();
    const third = spec('pools-zero', other);
    await cold.start(third);
    expect(await made((await cold.waitReady(third)).name)).toEqual({ image: other, pooled: false });
    await new Promise((r) => setTimeout(r, 1_000)); // ten refill delays
    expect(await waitingImages(none)).toEqual([image]);
    expect(none.images()).toEqual([image]);
  });

  it('pools the images open assignments name before its first fill, and keeps them across a restart', async () => {
    const { pools } = poolsOf({ size: 1, allowedImages: [other] });
    pools.want([other, 'localhost/not-allowed:1']);
    await pools.fill();
    expect(await waitingImages(pools)).toEqual([image, other].sort());
    expect(pools.images().sort()).toEqual([image, other].sort());
    const [kept] = await waitingOf(pools, other);
    await pools.close();
    // The next start is told again before it fills: the other image's waiting container is kept.
    const { pools: again } = poolsOf({ size: 1, allowedImages: [other] });
    again.want([other]);
    await again.fill();
    expect(await waitingOf(again, other)).toEqual([kept]);
    await again.close();
    // An image sized 0 is not pooled, however wanted; its waiting container goes.
    const { pools: zero } = poolsOf({ size: 1, sizes: { [other]: 0 }, allowedImages: [other] });
    zero.want([other]);
    await zero.fill();
    expect(zero.images()).toEqual([image]);
    expect(await waitingImages(zero)).toEqual([image]);
  });

  it('closes a pool no longer wanted, unless a launch asked for its image within the hour', async () => {
    const { pools, spawner } = poolsOf({ size: 1, allowedImages: [other] });
    pools.want([other]);
    await pools.fill();
    expect(await waitingImages(pools)).toEqual([image, other].sort());
    // Still named by an open assignment: kept.
    await pools.retire([other], 0);
    expect(pools.images().sort()).toEqual([image, other].sort());
    // Its assignment closed, but a learner launched it a moment ago: kept.
    const s = spec('pools-retire', other);
    await spawner.start(s);
    expect(await made((await spawner.waitReady(s)).name)).toEqual({ image: other, pooled: true });
    await pools.retire([]);
    expect(pools.images().sort()).toEqual([image, other].sort());
    // No launch asked for it within the idle time: the pool goes with its waiting containers, and
    // the default image's pool, which no assignment needs to name, stays.
    await until(async () => (await waitingOf(pools, other)).length === 1);
    await pools.retire([], 0);
    expect(pools.images()).toEqual([image]);
    expect(await waitingImages(pools)).toEqual([image]);
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`org.labgate.pool.image=${other}`] },
    });
    // Learners' containers (a claimed one keeps its labels) stay; none waits any more.
    expect(left.filter((c) => c.Names.some((n) => n.replace(/^\//, '').startsWith('labgate-pool-')))).toEqual(
      [],
    );
    expect(left.length).toBeGreaterThan(0);
  });
});
