import path from 'node:path';
import type { Config } from '../config.ts';
import type { RetirementDeps, WorkspaceCleanup } from '../flows/index.ts';
import { createGitlabForge } from '../forge/index.ts';
import { createPeopleStore, createPersonRecordStore } from '../identity/index.ts';
import {
  connectEngine,
  containerName,
  createDockerSpawner,
  createSwarmSpawner,
  createWorkspaceNetworks,
  createWorkspaceStorage,
  workspaceFolder,
} from '../workspaces/index.ts';
import type { Services } from './services.ts';
import { forgeSettings } from './class-grading.ts';

type WorkspaceSettings = NonNullable<Config['workspaces']>;

/**
 * A learner's container and files on the configured engine, removed as the server would reset and
 * forget a workspace. Both kinds of storage are cleared (an ext4 image, or a folder): the server may
 * have used either since it started.
 */
export function workspaceCleanup(ws: WorkspaceSettings): WorkspaceCleanup {
  const engine = connectEngine(ws.dockerSocket);
  const storages = (['image', 'folder'] as const).map((kind) =>
    createWorkspaceStorage(engine, { kind, root: ws.root, diskBytes: ws.diskBytes, uid: ws.uid }),
  );
  const options = {
    engine,
    storage: storages[0]!,
    networks: createWorkspaceNetworks(engine),
    workspaceUid: ws.uid,
    tmpBytes: ws.tmpBytes,
    readyTimeoutMs: 60_000,
  };
  // On Swarm the workspace is a service: removed as such (the folder is on the shared storage).
  const spawner = ws.swarm ? createSwarmSpawner({ ...options, ...ws.swarm }) : createDockerSpawner(options);
  return {
    describe: (userId, assignment) => ({
      container: containerName(userId, assignment),
      storage: storages
        .filter((s) => s.exists(userId, assignment))
        .map((s) => {
          const name = workspaceFolder(userId, assignment);
          return path.join(ws.root, s.kind === 'image' ? `${name}.ext4` : name);
        }),
    }),
    async remove(userId, assignment) {
      await spawner.remove(userId, assignment);
      for (const s of storages) await s.destroy(userId, assignment);
    },
  };
}

/**
 * What `labgate users` and `labgate courses retire` work with: the database, the forge (FORGE_URL,
 * or the demo's embedded one when it has run here; none otherwise) and the container engine when
 * workspaces are configured.
 */
export async function openPersonData(config: Config) {
  const previous = process.umask(0o077);
  let services: Services;
  try {
    const { openServices } = await import('./services.ts');
    services = await openServices(config);
  } finally {
    process.umask(previous);
  }
  const settings = await forgeSettings(config).catch(() => undefined);
  const people = createPeopleStore(services.db);
  const deps: RetirementDeps = {
    records: createPersonRecordStore(services.db),
    users: services.users,
    people,
    ...(settings ? { forge: createGitlabForge({ url: settings.url, token: settings.token }) } : {}),
    ...(config.workspaces ? { workspaces: workspaceCleanup(config.workspaces) } : {}),
  };
  return { deps, people, services, close: services.close };
}
