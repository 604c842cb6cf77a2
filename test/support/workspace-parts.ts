import pino from 'pino';
import {
  connectEngine,
  createDockerSandbox,
  createDockerSpawner,
  createForgeRelay,
  createWorkspaceNetworks,
  createWorkspaceStorage,
  type StorageKind,
} from '../../src/workspaces/index.ts';
import { podmanSocket } from './containers.ts';

/**
 * The Docker adapter's parts on the test machine's Podman, as app.ts wires them: learners' storage
 * under `root` (`image` by default: an ext4 image each), a network each, and a relay to `forgeUrl`
 * when it is on loopback (gitlab-lite in tests).
 */
export function testWorkspaceParts(o: {
  root: string;
  forgeUrl?: string;
  kind?: StorageKind;
  diskBytes?: number;
  tmpBytes?: number;
}) {
  const engine = connectEngine(podmanSocket);
  const storage = createWorkspaceStorage(engine, {
    kind: o.kind ?? 'image',
    root: o.root,
    diskBytes: o.diskBytes ?? 256 * 1024 * 1024,
    uid: 1000,
  });
  const networks = createWorkspaceNetworks(engine);
  const relay = o.forgeUrl
    ? createForgeRelay({ port: Number(new URL(o.forgeUrl).port), log: pino({ level: 'silent' }) })
    : undefined;
  const parts = { engine, storage, networks, ...(relay ? { relay } : {}) };
  const tmpBytes = o.tmpBytes ?? 64 * 1024 * 1024;
  const spawner = createDockerSpawner({ ...parts, workspaceUid: 1000, tmpBytes, readyTimeoutMs: 60_000 });
  return {
    ...parts,
    spawner,
    sandbox: createDockerSandbox({
      ...parts,
      uid: 1000,
      tmpBytes,
      limits: { memoryBytes: 512 * 1024 * 1024, cpus: 1, pids: 256 },
      sessionSeconds: 300,
    }),
    /** Removes what the tests made for these learners: containers, networks, storage. */
    forget: async (learners: Array<[string, string]>) => {
      for (const [user, assignment] of learners) {
        await spawner.remove(user, assignment);
        await storage.destroy(user, assignment);
      }
    },
    close: async () => relay?.close(),
  };
}
