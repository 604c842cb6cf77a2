import type Docker from 'dockerode';
import { forgeHostName, homeWork, jupyterArgs } from './container-spec.ts';
import type { WorkspaceSpec } from './spawner.ts';
import { labels } from './workspace-names.ts';

/**
 * Swarm's tmpfs mounts take no owner (API 1.41) and runc keeps the mode of a folder the image has:
 * a tmpfs on /home/learner stays root's. The learner's home is made inside /tmp's tmpfs instead.
 */
export const swarmHome = '/tmp/home';
/** How long Swarm lets the Jupyter server stop before killing it (Docker's spawner waits 5 s too). */
const stopGraceNs = 5e9;

export interface ServiceSettings {
  name: string;
  /** The learner's folder on storage every node shares, at the same path. */
  folder: string;
  network: string;
  uid: number;
  /** Size of /tmp, which holds the home folder too (a tmpfs counts against the memory limit). */
  tmpBytes: number;
  /** `node.labels.<name>==<value>`: the nodes workspaces may go to. */
  constraints: string[];
  /** The node's docker_gwbridge gateway, where labgate's relay to a loopback forge listens. */
  forgeGateway?: string;
}

/** Newer engines honour this; Docker 20.10 (API 1.41) ignores it: there the daemon's --no-new-privileges does it. */
type Privileges = Docker.ContainerSpec['Privileges'] & { NoNewPrivileges?: boolean };

/**
 * The learner's Jupyter server as a Swarm service: one replica, confined as the Docker spawner's
 * containers are as far as services allow, reached by its task address (`dnsrr`: no virtual IP).
 */
export function workspaceService(spec: WorkspaceSpec, o: ServiceSettings) {
  const owned = {
    [labels.managed]: 'true',
    [labels.user]: spec.userId.slice(0, 200),
    [labels.assignment]: spec.assignment.slice(0, 200),
  };
  const privileges: Privileges = { NoNewPrivileges: true };
  return {
    Name: o.name,
    Labels: owned,
    TaskTemplate: {
      ContainerSpec: {
        Image: spec.image,
        Labels: owned,
        // The home folder is made first (see swarmHome); `exec` leaves Jupyter as the init's only child.
        Command: ['sh', '-c', 'mkdir -p -m 700 "$HOME" && exec "$@"', 'sh'],
        Args: ['python3', '-m', 'jupyter_server', ...jupyterArgs(spec.baseUrl)],
        // The token goes by environment, not the command line that `ps` and inspect show.
        Env: [`JUPYTER_TOKEN=${spec.token}`, `HOME=${swarmHome}`],
        Dir: homeWork,
        User: `${o.uid}:${o.uid}`,
        ReadOnly: true,
        CapabilityDrop: ['ALL'],
        Privileges: privileges,
        Init: true,
        StopGracePeriod: stopGraceNs,
        Mounts: [
          { Type: 'bind' as const, Source: o.folder, Target: homeWork },
          {
            Type: 'tmpfs' as const,
            Source: '', // none for a tmpfs (dockerode's type asks for one)
            Target: '/tmp',
            TmpfsOptions: { SizeBytes: 2 * o.tmpBytes, Mode: 0o1777 },
          },
        ],
        ...(o.forgeGateway ? { Hosts: [`${o.forgeGateway} ${forgeHostName}`] } : {}),
      },
      Resources: {
        Limits: {
          MemoryBytes: spec.limits.memoryBytes,
          NanoCPUs: Math.round(spec.limits.cpus * 1e9),
          Pids: spec.limits.pids,
        },
        // Most workspaces idle: a node is counted full at a quarter of their memory and a tenth of their CPUs.
        Reservations: {
          MemoryBytes: Math.round(spec.limits.memoryBytes / 4),
          NanoCPUs: Math.round(spec.limits.cpus * 1e8),
        },
      },
      // A server that dies is started again, a few times; a launch reports the first failure.
      RestartPolicy: { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 3 },
      Placement: { Constraints: o.constraints },
      Networks: [{ Target: o.network }],
    },
    Mode: { Replicated: { Replicas: 1 } },
    EndpointSpec: { Mode: 'dnsrr' },
  } satisfies Docker.CreateServiceOptions;
}

/** Swarm's placement constraint for WORKSPACE_NODE_LABEL. */
export const nodeConstraints = (label: { name: string; value: string } | undefined) =>
  label ? [`node.labels.${label.name}==${label.value}`] : [];
