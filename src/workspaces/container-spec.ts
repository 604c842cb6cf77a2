import type { EngineKind } from './docker-engine.ts';
import type { WorkspaceSpec } from './spawner.ts';
import { labels } from './workspace-names.ts';

export const jupyterPort = '8888/tcp';
/** The image's contract: a `learner` user whose home is this, the work folder inside it. */
export const learnerHome = '/home/learner';
export const homeWork = `${learnerHome}/work`;
/** The name a workspace reaches an embedded forge by (through labgate's relay on its gateway). */
export const forgeHostName = 'labgate-forge';

export interface ConfinementSettings {
  uid: number;
  /** Size of each of the two tmpfs (`/tmp` and the home folder); they count against the memory limit. */
  tmpBytes: number;
  engine: EngineKind;
}

/**
 * What confines a container that runs learner code: no capabilities, no privilege gain, a read-only
 * image, sized tmpfs for /tmp and the home folder (the work folder is the only lasting place).
 */
export function confinement(s: ConfinementSettings) {
  // Podman refuses uid= on tmpfs and has `U` (chown to the container's user) instead.
  const owner = s.engine === 'podman' ? 'U' : `uid=${s.uid},gid=${s.uid}`;
  return {
    ReadonlyRootfs: true,
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    Tmpfs: {
      '/tmp': `rw,nosuid,nodev,size=${s.tmpBytes},mode=1777`,
      [learnerHome]: `rw,nosuid,nodev,size=${s.tmpBytes},mode=0700,${owner}`,
    },
  };
}

/** The learner's Jupyter server container, on its own network, reachable by labgate on loopback only. */
export function workspaceContainer(
  spec: WorkspaceSpec,
  o: ConfinementSettings & { name: string; mount: string; network: string; forgeGateway?: string },
) {
  return {
    name: o.name,
    Image: spec.image,
    User: `${o.uid}:${o.uid}`,
    Labels: {
      [labels.managed]: 'true',
      [labels.user]: spec.userId.slice(0, 200),
      [labels.assignment]: spec.assignment.slice(0, 200),
    },
    Cmd: ['python3', '-m', 'jupyter_server', ...jupyterArgs(spec.baseUrl)],
    // The token goes by environment, not the command line that `ps` and inspect show.
    Env: [`JUPYTER_TOKEN=${spec.token}`, `HOME=${learnerHome}`],
    ...workspaceRuntime(spec, o),
  };
}

/** Jupyter Server's arguments in a workspace (the token comes by environment). */
export const jupyterArgs = (baseUrl: string) => [
  '--ServerApp.ip=0.0.0.0',
  '--ServerApp.port=8888',
  `--ServerApp.base_url=${baseUrl}`,
  `--ServerApp.root_dir=${homeWork}`,
  '--ServerApp.open_browser=False',
  '--ServerApp.allow_remote_access=True',
];

/** What a workspace runs with, cold or from the warm pool: confinement, folder, network, port, limits. */
export function workspaceRuntime(
  spec: Pick<WorkspaceSpec, 'limits'>,
  o: ConfinementSettings & { mount: string; network: string; forgeGateway?: string },
) {
  return {
    WorkingDir: homeWork,
    ExposedPorts: { [jupyterPort]: {} },
    HostConfig: {
      ...confinement(o),
      Binds: [`${o.mount}:${homeWork}`],
      NetworkMode: o.network,
      PortBindings: { [jupyterPort]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
      Memory: spec.limits.memoryBytes,
      NanoCpus: Math.round(spec.limits.cpus * 1e9),
      PidsLimit: spec.limits.pids,
      ...(o.forgeGateway ? { ExtraHosts: [`${forgeHostName}:${o.forgeGateway}`] } : {}),
    },
  };
}

/** Whether the workspace's Jupyter server at `target` answers its API with the learner's token. */
export const jupyterAnswers = (target: string, spec: Pick<WorkspaceSpec, 'baseUrl' | 'token'>) =>
  fetch(`${target}${spec.baseUrl}api/status`, {
    headers: { authorization: `token ${spec.token}` },
    signal: AbortSignal.timeout(2_000),
  }).then(
    async (r) => (await r.arrayBuffer(), r.ok),
    () => false,
  );
