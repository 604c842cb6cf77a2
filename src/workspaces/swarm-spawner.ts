import { jupyterAnswers } from './container-spec.ts';
import { engineError, statusOf, type Engine } from './docker-engine.ts';
import type { WorkspaceStorage } from './docker-storage.ts';
import type { ForgeRelay } from './forge-relay.ts';
import type { RunningWorkspace, Spawner, WorkspaceInfo, WorkspaceSpec } from './spawner.ts';
import { nodeConstraints, workspaceService } from './swarm-service-spec.ts';
import {
  failed,
  findService,
  gatewayBridge,
  hasEnded,
  overlayAddress,
  runningTasks,
  serviceLastWords,
  tasksOf,
  type SwarmTask,
} from './swarm-tasks.ts';
import { containerName, labels } from './workspace-names.ts';
import { workspaceErrors } from './workspace-errors.ts';

export interface SwarmSpawnerOptions {
  /** A manager's API (labgate's own node in the single-node case). */
  engine: Engine;
  /** Plain folders under WORKSPACES_ROOT, which every node mounts at the same path. */
  storage: WorkspaceStorage;
  /** A loopback forge, reached from tasks on labgate's node through docker_gwbridge. */
  relay?: ForgeRelay;
  workspaceUid: number;
  tmpBytes: number;
  readyTimeoutMs: number;
  /** The attachable overlay network the workspaces (and labgate's replicas) join. */
  network: string;
  /** `overlay`: labgate is on that network; `gwbridge`: labgate runs on the node's host (one node). */
  address: 'overlay' | 'gwbridge';
  nodeLabel?: { name: string; value: string } | undefined;
  /** A task Swarm cannot place fails the launch after this long, with the scheduler's reason. */
  pendingMs?: number;
}

const jupyterPort = 8888;

/** The Spawner on Docker Swarm: one service per workspace, reached by its task's address. */
export function createSwarmSpawner(o: SwarmSpawnerOptions): Spawner {
  const { engine } = o;
  const { docker } = engine;
  const pendingMs = o.pendingMs ?? 10_000;

  /** The overlay network, made attachable (labgate's containers join it) when missing. */
  async function ensureNetwork() {
    const exists = () => docker.getNetwork(o.network).inspect();
    try {
      return await exists();
    } catch (err) {
      if (statusOf(err) !== 404) engineError(err);
    }
    const spec = { Name: o.network, Driver: 'overlay', Attachable: true, CheckDuplicate: true };
    await docker.createNetwork({ ...spec, Labels: { [labels.managed]: 'true' } }).catch(
      (err: unknown) => exists().catch(() => engineError(err)), // made meanwhile by another launch
    );
  }

  /** With the gwbridge address, a loopback forge is relayed on the bridge's gateway (the host). */
  async function forgeGateway() {
    if (!o.relay || o.address !== 'gwbridge') return undefined;
    const gateway = (await gatewayBridge(engine))?.gateway;
    if (gateway) await o.relay.ensure(gateway);
    return gateway;
  }

  /** Where labgate reaches the running task's Jupyter server; undefined while it cannot yet. */
  async function targetOf(t: SwarmTask) {
    if (o.address === 'overlay') {
      const ip = overlayAddress(t, o.network);
      return ip && `http://${ip}:${jupyterPort}`;
    }
    const id = t.Status.ContainerStatus?.ContainerID;
    if (!id) return undefined;
    const ip = (await gatewayBridge(engine))?.addressOf(id);
    if (!ip && !(await engine.inspect(id))) throw workspaceErrors.swarmOtherNode();
    return ip && `http://${ip}:${jupyterPort}`;
  }

  /** Scaled to none first, so that the task has stopped (grace period included) once this returns. */
  async function removeService(name: string) {
    const service = await findService(engine, name);
    if (!service) return;
    const handle = docker.getService(service.ID);
    await handle
      .update({
        _query: { version: service.Version?.Index },
        _body: { ...service.Spec, Mode: { Replicated: { Replicas: 0 } } },
      })
      .catch(() => {}); // changed meanwhile: removing it stops the task all the same
    for (let i = 0; i < 60; i++) {
      if ((await tasksOf(engine, service.ID)).every(hasEnded)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await handle.remove().catch((err: unknown) => (statusOf(err) === 404 ? undefined : engineError(err)));
  }

  async function waitReady(spec: WorkspaceSpec): Promise<RunningWorkspace> {
    const name = containerName(spec.userId, spec.assignment);
    const seconds = Math.round(o.readyTimeoutMs / 1000);
    const deadline = Date.now() + o.readyTimeoutMs;
    // A failure older than this belongs to an earlier life of the service (a restart since then).
    const since = Date.now() - o.readyTimeoutMs;
    let target: string | undefined;
    let asked = 0;
    let waitingForNode: number | undefined;
    for (;;) {
      if (!target || Date.now() - asked >= 1_000) {
        asked = Date.now();
        const service = await findService(engine, name);
        if (!service) throw workspaceErrors.notReady(seconds, 'its Swarm service is gone');
        const tasks = await tasksOf(engine, service.ID);
        const current = tasks[0];
        target = current?.Status.State === 'running' ? await targetOf(current) : undefined;
        const failure = target
          ? undefined
          : tasks.find((t) => failed(t) && Date.parse(t.Status.Timestamp ?? t.CreatedAt) >= since);
        if (failure)
          throw workspaceErrors.taskFailed(
            failure.Status.Err ?? `the task was ${failure.Status.State}`,
            await serviceLastWords(engine, service.ID),
          );
        // Swarm keeps a task it cannot place pending, with the scheduler's reason, until a node fits.
        if (current?.Status.State === 'pending' && current.Status.Err) {
          waitingForNode ??= Date.now();
          if (Date.now() - waitingForNode >= pendingMs)
            throw workspaceErrors.taskFailed(current.Status.Err, '');
        } else waitingForNode = undefined;
      }
      if (target) {
        if (await jupyterAnswers(target, spec)) return { name, target };
      }
      if (Date.now() > deadline) {
        const service = await findService(engine, name);
        throw workspaceErrors.notReady(seconds, service ? await serviceLastWords(engine, service.ID) : '');
      }
      await new Promise((r) => setTimeout(r, target ? 50 : 200));
    }
  }

  return {
    async start(spec) {
      const name = containerName(spec.userId, spec.assignment);
      const found = await findService(engine, name);
      if (found) {
        // Running, starting or waiting for a node: that is this workspace. Every task ended, or failing
        // between retries (a launch tried again after an error): made anew.
        const tasks = await tasksOf(engine, found.ID);
        const failing = tasks[0]?.Status.State !== 'running' && tasks.some(failed);
        if (tasks.some((t) => !hasEnded(t)) && !failing) {
          await forgeGateway();
          return;
        }
        await removeService(name);
      }
      // A new folder is handed to the learner by a container of the image on labgate's node: it needs it too.
      const folder = await o.storage
        .ensure(spec.userId, spec.assignment, spec.image)
        .catch((err: unknown) => {
          throw statusOf(err) === 404 ? workspaceErrors.imageMissing(spec.image) : err;
        });
      await ensureNetwork();
      const gateway = await forgeGateway();
      const body = workspaceService(spec, {
        name,
        folder,
        network: o.network,
        uid: o.workspaceUid,
        tmpBytes: o.tmpBytes,
        constraints: nodeConstraints(o.nodeLabel),
        ...(gateway ? { forgeGateway: gateway } : {}),
      });
      await docker.createService(body).catch((err: unknown) => {
        if (statusOf(err) !== 409) engineError(err); // 409: made by a concurrent launch
      });
    },
    waitReady,
    async isRunning(userId, assignment) {
      const service = await findService(engine, containerName(userId, assignment));
      return Boolean(service && (await tasksOf(engine, service.ID))[0]?.Status.State === 'running');
    },
    async hasStorage(userId, assignment) {
      return o.storage.exists(userId, assignment);
    },
    // As with the Docker spawner, nothing outside the learner's folder is kept: a start makes a new service.
    stop: (userId, assignment) => removeService(containerName(userId, assignment)),
    remove: (userId, assignment) => removeService(containerName(userId, assignment)),
    async list(): Promise<WorkspaceInfo[]> {
      const services = await docker
        .listServices({ filters: { label: [`${labels.managed}=true`] } })
        .catch(engineError);
      const running = await runningTasks(engine);
      return services.map((s) => {
        const task = running.get(s.ID);
        return {
          name: s.Spec?.Name ?? '',
          userId: s.Spec?.Labels?.[labels.user] ?? '',
          assignment: s.Spec?.Labels?.[labels.assignment] ?? '',
          state: task ? 'running' : 'stopped',
          startedAt: task ? Date.parse(task.CreatedAt) : undefined,
        };
      });
    },
  };
}
