import { engineError, statusOf, type Engine } from './docker-engine.ts';
import { networksOf, type WorkspaceNetworks } from './docker-network.ts';
import type { ForgeRelay } from './forge-relay.ts';

export interface RemovalParts {
  engine: Engine;
  networks: WorkspaceNetworks;
  relay?: ForgeRelay;
}

/**
 * Removes a workspace container (stopped first when `graceSeconds` > 0) with the networks it was on and
 * the relay's listener on them, and a warm pool volume it mounted (whose file is now the learner's).
 * Read from the container itself: a workspace from the pool keeps names not derived from its learner.
 */
export async function removeContainer(p: RemovalParts, name: string, graceSeconds: number) {
  const info = await p.engine.inspect(name);
  const container = p.engine.docker.getContainer(name);
  if (graceSeconds > 0)
    await container.stop({ t: graceSeconds }).catch((err: unknown) => {
      if (statusOf(err) !== 304 && statusOf(err) !== 404) engineError(err);
    });
  await container.remove({ force: true }).catch((err: unknown) => {
    if (statusOf(err) !== 404) engineError(err);
  });
  if (!info) return;
  for (const network of networksOf(info)) {
    if (network.gateway) await p.relay?.release(network.gateway);
    await p.networks.removeNamed(network.name);
  }
  for (const mount of info.Mounts ?? []) {
    if (mount.Type !== 'volume' || !mount.Name?.startsWith('labgate-ws-pool-')) continue;
    await p.engine.docker
      .getVolume(mount.Name)
      .remove()
      .catch((err: unknown) => (statusOf(err) === 404 ? undefined : engineError(err)));
  }
}

/**
 * Warm pool networks and volumes left without their container (a workspace removed behind labgate's
 * back, a crash mid-claim), removed once old enough not to belong to an entry being made; the engine
 * refuses to remove one still in use.
 */
export async function sweepPoolLeftovers(p: RemovalParts, olderThanMs = 10 * 60_000) {
  const { docker } = p.engine;
  const old = (created: string | undefined) => Date.parse(created ?? '') <= Date.now() - olderThanMs;
  const networks = await docker.listNetworks({ filters: { name: ['labgate-net-pool-'] } }).catch(engineError);
  for (const n of networks)
    if (n.Name.startsWith('labgate-net-pool-') && old(n.Created))
      await p.networks.removeNamed(n.Name).catch(() => {});
  const { Volumes } = await docker
    .listVolumes({ filters: { name: ['labgate-ws-pool-'] } })
    .catch(engineError);
  for (const v of Volumes ?? [])
    if (v.Name.startsWith('labgate-ws-pool-') && old((v as { CreatedAt?: string }).CreatedAt))
      await docker
        .getVolume(v.Name)
        .remove()
        .catch(() => {});
}
