import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Docker from 'dockerode';
import pino from 'pino';
import {
  connectEngine,
  createForgeRelay,
  createSwarmSandbox,
  createSwarmSpawner,
  createWorkspaceNetworks,
  createWorkspaceStorage,
} from '../../src/workspaces/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
/** Docker's API with a single-node swarm (scripts/ensure-swarm.sh): not the usual socket, which stays Podman's or none. */
export const swarmSocket = process.env.LABGATE_TEST_SWARM_SOCKET ?? '/run/labgate-swarm/docker.sock';

/**
 * Docker, a one-node swarm and these images (copied from Podman's storage) for the Swarm tests, made
 * on first need and left running (about a minute the first time, half a second after).
 */
export function ensureSwarm(images: string[]) {
  execFileSync('bash', [path.join(root, 'scripts/ensure-swarm.sh'), ...images], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * What a Swarm e2e test leaves: the workspace's service (when a launch made one), then the test's
 * overlay network, which Swarm frees a moment after the service's task container has gone.
 */
export async function removeSwarmWorkspace(workspaceId: string, network: string) {
  const docker = new Docker({ socketPath: swarmSocket });
  if (workspaceId)
    await docker
      .getService(`labgate-ws-${workspaceId}`)
      .remove()
      .catch(() => {});
  for (let i = 0; i < 40; i++) {
    const gone = await docker
      .getNetwork(network)
      .remove()
      .then(
        () => true,
        (err: { statusCode?: number }) => err.statusCode === 404,
      );
    if (gone) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * The Swarm adapter's parts as app/workspaces.ts wires them with WORKSPACE_ENGINE=swarm and labgate on
 * the host (WORKSPACE_SWARM_ADDRESS=gwbridge): folders under `root`, an overlay network of the test's
 * own, a relay to `forgeUrl` when given.
 */
export function testSwarmParts(o: {
  root: string;
  network: string;
  forgeUrl?: string;
  nodeLabel?: { name: string; value: string };
  pendingMs?: number;
}) {
  const engine = connectEngine(swarmSocket);
  const storage = createWorkspaceStorage(engine, {
    kind: 'folder',
    root: o.root,
    diskBytes: 256 << 20,
    uid: 1000,
  });
  const networks = createWorkspaceNetworks(engine);
  const relay = o.forgeUrl
    ? createForgeRelay({ port: Number(new URL(o.forgeUrl).port), log: pino({ level: 'silent' }) })
    : undefined;
  const parts = { engine, storage, networks, ...(relay ? { relay } : {}) };
  const spawner = createSwarmSpawner({
    ...parts,
    workspaceUid: 1000,
    tmpBytes: 32 << 20,
    readyTimeoutMs: 60_000,
    network: o.network,
    address: 'gwbridge',
    nodeLabel: o.nodeLabel,
    ...(o.pendingMs ? { pendingMs: o.pendingMs } : {}),
  });
  const sandbox = createSwarmSandbox({
    ...parts,
    address: 'gwbridge',
    uid: 1000,
    tmpBytes: 32 << 20,
    limits: { memoryBytes: 256 << 20, cpus: 1, pids: 256 },
    sessionSeconds: 120,
  });
  return {
    ...parts,
    spawner,
    sandbox,
    /** Removes what the tests made: services (and so their tasks), folders, the overlay network. */
    async forget(learners: Array<[string, string]>) {
      // All at once: Swarm waits 2 s before it signals a task to stop (its gossip delay).
      await Promise.all(
        learners.map(async ([user, assignment]) => {
          await spawner.remove(user, assignment);
          await storage.destroy(user, assignment);
        }),
      );
      await engine.docker
        .getNetwork(o.network)
        .remove()
        .catch(() => {});
      await relay?.close();
    },
  };
}
