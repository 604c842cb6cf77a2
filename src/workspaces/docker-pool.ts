import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { jupyterArgs, jupyterPort, learnerHome, workspaceRuntime } from './container-spec.ts';
import { engineError, lastWords, statusOf, type Engine } from './docker-engine.ts';
import { networksOf, type WorkspaceNetworks } from './docker-network.ts';
import { discardEntry, placeOf, poolEntries, poolLabels, type PoolEntry } from './docker-pool-entries.ts';
import { sweepPoolLeftovers } from './docker-removal.ts';
import type { WorkspaceStorage } from './docker-storage.ts';
import type { ForgeRelay } from './forge-relay.ts';
import type { WorkspaceSpec } from './spawner.ts';
import { labels } from './workspace-names.ts';

export interface WarmPoolOptions {
  engine: Engine;
  storage: WorkspaceStorage;
  networks: WorkspaceNetworks;
  relay?: ForgeRelay;
  uid: number;
  tmpBytes: number;
  /** Started workspaces kept waiting for a first launch. */
  size: number;
  image: string;
  limits: WorkspaceSpec['limits'];
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
  /**
   * Quiet time after a claim before refilling: a rush of launches takes the pool, then it refills. A
   * steady stream of launches never leaves that much quiet: the refill then starts four delays after
   * the first claim it owes.
   */
  refillDelayMs?: number;
  /** Runs each container's making in turn with other pools' (one at a time leaves the CPU to launches). */
  serial?: <T>(work: () => Promise<T>) => Promise<T>;
}

const zygote = readFileSync(new URL('./warm-zygote.py', import.meta.url), 'utf8');
const keyEnv = 'LABGATE_POOL_KEY';

/** Why a container of the pool cannot serve a learner (the launch then starts a workspace cold). */
class PoolMiss extends Error {}

/**
 * Started workspaces waiting for their learner, for first launches: the container runs on its own
 * network with an empty folder, Jupyter Server loaded in a process that waits for the learner's base
 * URL and token (warm-zygote.py). A claim renames the container to the learner's — the engine's rename
 * is the lock, so replicas sharing an engine never hand one out twice — gives its folder the learner's
 * name, and tells it to start. The pool lives in the engine, not in labgate's memory: a restart finds
 * it, and a change of limits or recipe replaces it. One image per pool (docker-pools.ts keeps one per image).
 */
export function createWarmPool(o: WarmPoolOptions) {
  const { engine } = o;
  const { docker } = engine;
  const place = placeOf(o.storage);
  const serial = o.serial ?? (<T>(work: () => Promise<T>) => work());
  let recipe: Promise<string> | undefined;
  const recipeOf = () =>
    (recipe ??= engine.kind().then((kind) =>
      createHash('sha256')
        .update(
          JSON.stringify([
            o.image,
            o.limits,
            o.uid,
            o.tmpBytes,
            Boolean(o.relay),
            kind,
            o.storage.where,
            zygote,
          ]),
        )
        .digest('hex')
        .slice(0, 16),
    ));

  /** This pool's waiting containers: its storage place and its image. */
  const entries = async () =>
    (await poolEntries(engine)).filter((e) => e.place === place && e.image === o.image);
  const discard = (e: Pick<PoolEntry, 'name' | 'key'>) => discardEntry(o, e);

  async function addOne(current: string) {
    const id = randomBytes(8).toString('hex');
    const key = `pool-${id}`;
    const name = `labgate-pool-${id}`;
    try {
      const mount = await o.storage.ensurePooled(key, o.image);
      const network = await o.networks.ensureNamed(`labgate-net-${key}`);
      const container = await docker.createContainer({
        name,
        Image: o.image,
        User: `${o.uid}:${o.uid}`,
        Labels: {
          [labels.managed]: 'true',
          [poolLabels.recipe]: current,
          [poolLabels.place]: place,
          [poolLabels.image]: o.image,
          [poolLabels.key]: key,
        },
        Cmd: ['python3', '-c', zygote, ...jupyterArgs('{base_url}')],
        Env: [`${keyEnv}=${randomBytes(24).toString('base64url')}`, `HOME=${learnerHome}`],
        ...workspaceRuntime(
          { limits: o.limits },
          {
            mount,
            network: network.name,
            uid: o.uid,
            tmpBytes: o.tmpBytes,
            engine: await engine.kind(),
            ...(o.relay ? { forgeGateway: network.gateway } : {}),
          },
        ),
      });
      await container.start();
      const info = await engine.inspect(name);
      for (const n of networksOf(info ?? {})) if (n.gateway) await o.relay?.ensure(n.gateway);
      // Counted once its server is loaded: filling one at a time leaves the CPU to launches.
      const port = info?.NetworkSettings?.Ports?.[jupyterPort]?.[0]?.HostPort;
      const deadline = Date.now() + 120_000;
      const loaded = () =>
        fetch(`http://127.0.0.1:${port}/labgate-pool`, { signal: AbortSignal.timeout(2_000) }).then(
          (r) => r.ok,
          () => false,
        );
      for (let tries = 1; !(await loaded()); tries++) {
        const dead = tries % 10 === 0 && !(await engine.inspect(name))?.State?.Running;
        if (dead || Date.now() > deadline)
          throw new Error(`the pooled server did not load: ${await lastWords(engine, name)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (err) {
      await discard({ name, key }).catch(() => {});
      throw err;
    }
  }

  let swept = 0;
  async function sweep() {
    if (Date.now() - swept < 10 * 60_000) return; // at most every ten minutes
    swept = Date.now();
    await sweepPoolLeftovers(o);
  }

  /**
   * Fills the pool up to its size, one container at a time. Its containers made with another recipe
   * (limits, zygote…) or no longer running go first; other images' and other places' are not its own.
   */
  async function fill() {
    const current = await recipeOf();
    await sweep();
    for (const e of await entries()) if (e.recipe !== current || !e.running) await discard(e);
    const fresh = (await entries()).filter((e) => e.recipe === current);
    // A pool made smaller: the newest extras go.
    for (const e of fresh.slice(o.size)) await discard(e);
    let waiting = Math.min(fresh.length, o.size);
    while (!closed && waiting < o.size) {
      await serial(() => addOne(current));
      waiting++;
    }
  }

  let closed = false;
  let filling: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let again = false;
  // A refill asked for while one runs (claims took containers meanwhile) runs once it ends.
  const refill = () => {
    if (filling) return ((again = true), filling);
    filling = (async () => {
      do {
        again = false;
        await fill().catch((err: unknown) => o.log.warn({ err }, 'the warm pool could not be filled'));
      } while (again && !closed);
    })().finally(() => (filling = undefined));
    return filling;
  };
  let owedSince: number | undefined;
  const refillSoon = () => {
    clearTimeout(timer);
    if (closed) return;
    const delay = o.refillDelayMs ?? 3_000;
    owedSince ??= Date.now();
    const wait = Math.max(0, Math.min(delay, owedSince + 4 * delay - Date.now()));
    timer = setTimeout(() => {
      owedSince = undefined;
      void refill();
    }, wait).unref();
  };

  // Launches in this process take waiting containers from one listing, each its own: twenty launches
  // at once would otherwise all try the same oldest container first (each rename costs Podman a lock).
  let queue: PoolEntry[] = [];
  let listing: Promise<void> | undefined;
  async function nextCandidate() {
    if (!queue.length) {
      listing ??= (async () => {
        const current = await recipeOf();
        queue = (await entries()).filter((e) => e.running && e.recipe === current);
      })().finally(() => (listing = undefined));
      await listing;
    }
    return queue.shift();
  }

  /** Hands the learner's base URL and token to the waiting server; retried while it still loads. */
  async function open(name: string, spec: WorkspaceSpec) {
    const info = await engine.inspect(name);
    const port = info?.NetworkSettings?.Ports?.[jupyterPort]?.[0]?.HostPort;
    const key = info?.Config?.Env?.find((e) => e.startsWith(`${keyEnv}=`))?.slice(keyEnv.length + 1);
    if (!port || !key) throw new PoolMiss('the pooled container has no port or key');
    const body = JSON.stringify({ key, baseUrl: spec.baseUrl, token: spec.token });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await fetch(`http://127.0.0.1:${port}/claim`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(5_000),
      }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      if (status !== 0 || Date.now() > deadline) throw new PoolMiss(`the pooled server answered ${status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    /**
     * Makes a waiting container the learner's workspace `name`, if one fits (same image and limits)
     * and the learner has no folder yet. False: nothing changed for the learner; start it cold.
     */
    async claim(spec: WorkspaceSpec, name: string): Promise<boolean> {
      if (closed || o.size === 0 || spec.image !== o.image) return false;
      if (JSON.stringify(spec.limits) !== JSON.stringify(o.limits)) return false;
      if (o.storage.exists(spec.userId, spec.assignment)) return false;
      for (let tries = 0; tries < 2 * o.size + 2; tries++) {
        const candidate = await nextCandidate();
        if (!candidate) break;
        try {
          // By its pool name, which only the first rename finds: renaming by id would always succeed.
          await docker.getContainer(candidate.name).rename({ name });
        } catch (err) {
          if (statusOf(err) === 404) continue; // another replica took it, or it was replaced
          if (statusOf(err) === 409) return false; // the learner's container exists
          return engineError(err);
        }
        refillSoon();
        try {
          await o.storage.giveTo(candidate.key ?? '', spec.userId, spec.assignment);
          await open(name, spec);
          return true;
        } catch (err) {
          // Anything half done goes; the learner's folder, if it became theirs, stays (it is empty).
          o.log.warn({ err, container: name }, 'a warm pool container could not be claimed');
          await discard({ name, key: candidate.key }).catch(() => {});
          return false;
        }
      }
      refillSoon();
      return false;
    },
    /** Fills the pool (at start, and after claims); resolves once it is full or could not be. */
    fill: refill,
    /** Fills the pool after the refill delay, as after a claim. */
    fillSoon: refillSoon,
    /** The names of this pool's containers waiting for a learner. */
    async waiting() {
      const current = await recipeOf();
      return (await entries()).filter((e) => e.recipe === current).map((e) => e.name);
    },
    /** Stops refilling; `drain` also removes this pool's waiting containers. */
    async close(o2: { drain?: boolean } = {}) {
      closed = true;
      clearTimeout(timer);
      await filling;
      if (!o2.drain) return;
      const current = await recipeOf();
      for (const e of await entries()) if (e.recipe === current) await discard(e);
    },
  };
}

export type WarmPool = ReturnType<typeof createWarmPool>;
