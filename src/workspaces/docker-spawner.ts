import { jupyterAnswers, jupyterPort, workspaceContainer } from './container-spec.ts';
import { engineError, lastWords, statusOf, type Engine } from './docker-engine.ts';
import { networksOf, type WorkspaceNetworks } from './docker-network.ts';
import { removeContainer } from './docker-removal.ts';
import type { WorkspaceStorage } from './docker-storage.ts';
import type { ForgeRelay } from './forge-relay.ts';
import type { RunningWorkspace, Spawner, WorkspaceInfo, WorkspaceSpec } from './spawner.ts';
import { containerName, labels } from './workspace-names.ts';
import { workspaceErrors } from './workspace-errors.ts';

export interface DockerSpawnerOptions {
  engine: Engine;
  storage: WorkspaceStorage;
  networks: WorkspaceNetworks;
  /** Present when the forge listens on the host's loopback: workspaces reach it through this. */
  relay?: ForgeRelay;
  /** Started workspaces waiting for first launches (`WORKSPACE_WARM_POOL`), per image. */
  pool?: { claim(spec: WorkspaceSpec, name: string): Promise<boolean> };
  /** uid that owns the learner's files inside the image (the image's `learner`). */
  workspaceUid: number;
  tmpBytes: number;
  readyTimeoutMs: number;
}

/** The Spawner on the Docker Engine API (dockerode), which Podman's `system service` also speaks. */
export function createDockerSpawner(o: DockerSpawnerOptions): Spawner {
  const { engine } = o;
  const { docker } = engine;

  async function create(spec: WorkspaceSpec, name: string) {
    const mount = await o.storage.ensure(spec.userId, spec.assignment, spec.image);
    const network = await o.networks.ensure(spec.userId, spec.assignment);
    const body = workspaceContainer(spec, {
      name,
      mount,
      network: network.name,
      uid: o.workspaceUid,
      tmpBytes: o.tmpBytes,
      engine: await engine.kind(),
      ...(o.relay ? { forgeGateway: network.gateway } : {}),
    });
    try {
      await docker.createContainer(body);
    } catch (err) {
      if (statusOf(err) === 404) throw workspaceErrors.imageMissing(spec.image);
      if (statusOf(err) === 409) return; // made by a concurrent launch
      engineError(err);
    }
  }

  async function removeAll(userId: string, assignment: string, graceSeconds: number) {
    await removeContainer(o, containerName(userId, assignment), graceSeconds);
    // A network made for a container that never came to be (its creation failed) goes too.
    const gateway = await o.networks.gateway(userId, assignment);
    if (gateway) await o.relay?.release(gateway);
    await o.networks.remove(userId, assignment);
  }

  return {
    async start(spec) {
      const name = containerName(spec.userId, spec.assignment);
      let info = await engine.inspect(name);
      if (!info) {
        // A first launch takes a started container from the warm pool when one fits.
        if (!(await o.pool?.claim(spec, name))) await create(spec, name);
        info = await engine.inspect(name);
      }
      if (!info?.State?.Running) {
        try {
          await docker.getContainer(name).start();
        } catch (err) {
          if (statusOf(err) !== 304) engineError(err); // 304: already started by a concurrent launch
        }
      }
      // The bridge has its address once a container runs on it: only then can the relay listen there.
      if (o.relay)
        for (const n of networksOf((await engine.inspect(name)) ?? {}))
          if (n.gateway) await o.relay.ensure(n.gateway);
    },
    async waitReady(spec): Promise<RunningWorkspace> {
      const name = containerName(spec.userId, spec.assignment);
      const deadline = Date.now() + o.readyTimeoutMs;
      // The engine is asked about the container once a second at most (Podman's API is costly under
      // many launches at once); Jupyter itself is asked every 50 ms.
      let target: string | undefined;
      let inspected = 0;
      for (;;) {
        if (!target || Date.now() - inspected >= 1_000) {
          const info = await engine.inspect(name);
          inspected = Date.now();
          const port = info?.NetworkSettings?.Ports?.[jupyterPort]?.[0]?.HostPort;
          target = info?.State?.Running && port ? `http://127.0.0.1:${port}` : undefined;
          if (!info || (!info.State?.Running && info.State?.Status === 'exited'))
            throw workspaceErrors.notReady(
              Math.round(o.readyTimeoutMs / 1000),
              await lastWords(engine, name),
            );
        }
        if (target) {
          if (await jupyterAnswers(target, spec)) return { name, target };
        }
        if (Date.now() > deadline)
          throw workspaceErrors.notReady(Math.round(o.readyTimeoutMs / 1000), await lastWords(engine, name));
        await new Promise((r) => setTimeout(r, target ? 50 : 100));
      }
    },
    async isRunning(userId, assignment) {
      return Boolean((await engine.inspect(containerName(userId, assignment)))?.State?.Running);
    },
    async hasStorage(userId, assignment) {
      return o.storage.exists(userId, assignment);
    },
    // Nothing in a stopped container is worth keeping (its image is read-only, /tmp and home are
    // tmpfs): stopping removes it and its network, so only running workspaces hold engine resources.
    stop: (userId, assignment) => removeAll(userId, assignment, 5),
    remove: (userId, assignment) => removeAll(userId, assignment, 0),
    async list(): Promise<WorkspaceInfo[]> {
      const containers = await docker
        .listContainers({ all: true, filters: { label: [`${labels.managed}=true`] } })
        .catch(engineError);
      // Pool containers waiting for a learner are nobody's workspace yet.
      return containers
        .filter((c) => !c.Names.some((n) => n.replace(/^\//, '').startsWith('labgate-pool-')))
        .map((c) => ({
          name: (c.Names[0] ?? '').replace(/^\//, ''),
          userId: c.Labels[labels.user] ?? '',
          assignment: c.Labels[labels.assignment] ?? '',
          state: c.State === 'running' ? 'running' : 'stopped',
          startedAt: c.State === 'running' ? c.Created * 1000 : undefined,
        }));
    },
  };
}
