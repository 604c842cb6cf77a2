import { createHash } from 'node:crypto';
import { engineError, type Engine } from './docker-engine.ts';
import { removeContainer, type RemovalParts } from './docker-removal.ts';
import type { WorkspaceStorage } from './docker-storage.ts';

/** What a warm pool's container says of itself, in its labels. */
export const poolLabels = {
  /** The recipe it was made with (image, limits, storage, engine…): another recipe replaces it. */
  recipe: 'org.labgate.pool',
  /** The key of its network and storage, `pool-<16 hex>`. */
  key: 'org.labgate.pool.storage',
  /** Where its storage lives: pools of other storage places (another labgate) are not ours. */
  place: 'org.labgate.pool.place',
  /** Its image: each image's pool tends its own containers only. */
  image: 'org.labgate.pool.image',
};

/** A container of a warm pool, waiting for its learner. */
export interface PoolEntry {
  name: string;
  key: string | undefined;
  recipe: string | undefined;
  place: string | undefined;
  image: string | undefined;
  running: boolean;
  /** Seconds since the epoch, as the engine says. */
  created: number;
}

/** The storage place's short name, as the `place` label holds it. */
export const placeOf = (storage: Pick<WorkspaceStorage, 'where'>) =>
  createHash('sha256').update(storage.where).digest('hex').slice(0, 16);

/** Every pool container still waiting (claimed ones carry their learner's name), oldest first. */
export async function poolEntries(engine: Engine): Promise<PoolEntry[]> {
  const all = await engine.docker
    .listContainers({ all: true, filters: { label: [poolLabels.recipe] } })
    .catch(engineError);
  return all
    .map((c) => ({
      name: (c.Names.find((n) => n.replace(/^\//, '').startsWith('labgate-pool-')) ?? '').replace(/^\//, ''),
      key: c.Labels[poolLabels.key],
      recipe: c.Labels[poolLabels.recipe],
      place: c.Labels[poolLabels.place],
      image: c.Labels[poolLabels.image],
      running: c.State === 'running',
      created: c.Created,
    }))
    .filter((e) => e.name !== '')
    .sort((a, b) => a.created - b.created);
}

/** Removes a waiting container with its network and storage (an entry half made may lack the container). */
export async function discardEntry(
  p: RemovalParts & { storage: Pick<WorkspaceStorage, 'destroyPooled'> },
  entry: Pick<PoolEntry, 'name' | 'key'>,
) {
  await removeContainer(p, entry.name, 0);
  if (!entry.key || !/^pool-[0-9a-f]{16}$/.test(entry.key)) return;
  await p.networks.removeNamed(`labgate-net-${entry.key}`).catch(() => {});
  await p.storage.destroyPooled(entry.key);
}
