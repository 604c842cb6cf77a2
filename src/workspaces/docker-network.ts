import { engineError, statusOf, type Engine } from './docker-engine.ts';
import { workspaceErrors } from './workspace-errors.ts';
import { labels, workspaceFolder } from './workspace-names.ts';

export const networkName = (userId: string, assignment: string) =>
  `labgate-net-${workspaceFolder(userId, assignment)}`;

/**
 * One bridge network per workspace: user networks are isolated from each other (Docker's isolation
 * chains; Podman's CNI `ingressPolicy: same-bridge`), so no workspace reaches another.
 * @see ../shared/notes/isolation.md §5 (Podman ignores enable_icc; one network each is what works on both)
 */
export function createWorkspaceNetworks(engine: Engine) {
  const { docker } = engine;
  let safe: Promise<void> | undefined;

  /** Asked once the engine passed (at start, then shared); a refusal is asked again, after the fix. */
  const checkIsolation = (): Promise<void> =>
    (safe ??= refuseUnisolatedEngine(engine).catch((err: unknown) => {
      safe = undefined;
      throw err;
    }));

  async function gateway(name: string): Promise<string | undefined> {
    try {
      const info = await docker.getNetwork(name).inspect();
      return (info.IPAM?.Config as Array<{ Gateway?: string }> | undefined)?.[0]?.Gateway ?? '';
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      return engineError(err);
    }
  }

  async function ensure(name: string): Promise<{ name: string; gateway: string }> {
    let found = await gateway(name);
    if (found === undefined) {
      await checkIsolation();
      // A concurrent launch may make it first: Docker answers 409, Podman 500; look again either way.
      await docker
        .createNetwork({ Name: name, Driver: 'bridge', Labels: { [labels.managed]: 'true' } })
        .catch(async (err: unknown) => ((await gateway(name)) === undefined ? engineError(err) : undefined));
      found = await gateway(name);
    }
    return { name, gateway: found ?? '' };
  }

  async function remove(name: string) {
    try {
      await docker.getNetwork(name).remove();
    } catch (err) {
      if (statusOf(err) !== 404) engineError(err);
    }
  }

  return {
    /** The workspace's network, made when missing; its gateway is the host as the workspace sees it. */
    ensure: (userId: string, assignment: string) => ensure(networkName(userId, assignment)),
    remove: (userId: string, assignment: string) => remove(networkName(userId, assignment)),
    gateway: (userId: string, assignment: string) => gateway(networkName(userId, assignment)),
    /** Refuses an engine that would not keep workspaces apart (WORKSPACE_ENGINE_UNSAFE). */
    checkIsolation,
    /** A network by its name (a warm pool entry's, which its container keeps once claimed). */
    ensureNamed: ensure,
    removeNamed: remove,
  };
}

/**
 * Podman 4 with netavark, asked for several networks at once through the Docker API (launches
 * together), keeps some of them without the isolation it writes to disk until it restarts: their
 * workspaces reach the others. Seen with Podman 4.3.1 and netavark 1.4 (Debian 12). Podman with CNI,
 * Podman 5 (not tried here) and Docker pass.
 */
async function refuseUnisolatedEngine(engine: Engine) {
  if ((await engine.kind()) !== 'podman') return;
  const { version, backend } = await engine.podmanNetworking();
  if (backend === 'netavark' && Number(version.split('.')[0]) < 5) {
    throw workspaceErrors.engineUnsafe(`Podman ${version} with the ${backend} network backend`);
  }
}

/**
 * The labgate networks a container is on, with their gateways, from its inspection: a workspace from
 * the warm pool keeps the network it was made on, whose name is not derived from the learner.
 */
export function networksOf(info: { NetworkSettings?: { Networks?: Record<string, { Gateway?: string }> } }) {
  return Object.entries(info.NetworkSettings?.Networks ?? {})
    .filter(([name]) => name.startsWith('labgate-net-'))
    .map(([name, n]) => ({ name, gateway: n.Gateway ?? '' }));
}

export type WorkspaceNetworks = ReturnType<typeof createWorkspaceNetworks>;
