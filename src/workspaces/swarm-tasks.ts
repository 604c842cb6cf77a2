import { z } from 'zod';
import { engineError, statusOf, type Engine } from './docker-engine.ts';

/** The part of a Swarm task labgate reads (GET /tasks), parsed rather than trusted. */
const taskSchema = z.object({
  ID: z.string(),
  ServiceID: z.string(),
  NodeID: z.string().optional(),
  CreatedAt: z.string(),
  DesiredState: z.string(),
  Status: z.object({
    State: z.string(),
    Err: z.string().optional(),
    Timestamp: z.string().optional(),
    ContainerStatus: z.object({ ContainerID: z.string().optional() }).optional(),
  }),
  NetworksAttachments: z
    .array(
      z.object({
        Network: z.object({ Spec: z.object({ Name: z.string() }) }),
        Addresses: z.array(z.string()),
      }),
    )
    .optional(),
});
export type SwarmTask = z.infer<typeof taskSchema>;

/** Task states after which the task never runs again (Swarm makes a new task instead). */
const ended = new Set(['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove']);
export const hasEnded = (t: SwarmTask) => ended.has(t.Status.State);
export const failed = (t: SwarmTask) => t.Status.State === 'failed' || t.Status.State === 'rejected';
const newestFirst = (a: SwarmTask, b: SwarmTask) => Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt);

/** A service by name, or undefined when there is none. */
export async function findService(engine: Engine, name: string) {
  try {
    return await engine.docker.getService(name).inspect();
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    return engineError(err);
  }
}

/** The service's tasks, newest first (a service removed meanwhile has none). */
export async function tasksOf(engine: Engine, serviceId: string): Promise<SwarmTask[]> {
  const raw = await engine.docker.listTasks({ filters: { service: [serviceId] } }).catch((err: unknown) => {
    if (statusOf(err) === 404) return [];
    return engineError(err);
  });
  return z.array(taskSchema).parse(raw).sort(newestFirst);
}

/** Running tasks of all services, by service id (one GET for `list()`). */
export async function runningTasks(engine: Engine): Promise<Map<string, SwarmTask>> {
  const raw = await engine.docker.listTasks({ filters: { 'desired-state': ['running'] } }).catch(engineError);
  const tasks = z.array(taskSchema).parse(raw).sort(newestFirst);
  const byService = new Map<string, SwarmTask>();
  for (const t of tasks)
    if (t.Status.State === 'running' && !byService.has(t.ServiceID)) byService.set(t.ServiceID, t);
  return byService;
}

/** The task's address on `network` (its overlay), without the prefix length. */
export const overlayAddress = (t: SwarmTask, network: string) =>
  t.NetworksAttachments?.find((n) => n.Network.Spec.Name === network)?.Addresses[0]?.split('/')[0];

/**
 * The node's docker_gwbridge, which every task container on it joins for its way out: the host reaches
 * the containers there (and only the host: the bridge has inter-container traffic off). Undefined
 * until the node's first task made it.
 */
export async function gatewayBridge(engine: Engine) {
  try {
    const info = await engine.docker.getNetwork('docker_gwbridge').inspect();
    const containers = (info.Containers ?? {}) as Record<string, { IPv4Address?: string }>;
    const gateway = (info.IPAM?.Config as Array<{ Gateway?: string }> | undefined)?.[0]?.Gateway;
    return {
      gateway,
      /** A container's address on the bridge, if the container runs on this node. */
      addressOf: (containerId: string) => containers[containerId]?.IPv4Address?.split('/')[0],
    };
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    return engineError(err);
  }
}

/** The payloads of a multiplexed log stream (8-byte frame headers: stream, 0, 0, 0, length). */
function demux(b: Buffer) {
  const parts: Buffer[] = [];
  for (let i = 0; i + 8 <= b.length;) {
    const size = b.readUInt32BE(i + 4);
    parts.push(b.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts);
}

/** The last lines the service's tasks printed, cleaned for a message to a person. */
export async function serviceLastWords(engine: Engine, serviceId: string) {
  return engine.docker
    .getService(serviceId)
    .logs({ stdout: true, stderr: true, tail: 5 })
    .then((b) =>
      demux(Buffer.isBuffer(b) ? b : Buffer.from(String(b)))
        .toString('utf8')
        .replace(/[^\x20-\x7e\n]/g, '')
        .trim()
        .slice(-500),
    )
    .catch(() => '');
}
