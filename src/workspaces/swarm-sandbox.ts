import { engineError } from './docker-engine.ts';
import {
  attachAgent,
  createDockerSandbox,
  sessionWithForge,
  type DockerSandboxOptions,
} from './docker-sandbox.ts';
import type { Sandbox, SandboxSession, SandboxTarget } from './sandbox/sandbox.ts';
import { gatewayBridge } from './swarm-tasks.ts';
import { containerName } from './workspace-names.ts';

/** The label Swarm puts on a task's container: the service's name. */
const serviceLabel = 'com.docker.swarm.service.name';

/**
 * Sessions in a learner's sandbox when workspaces are Swarm services: an exec in their task's
 * container when it runs on labgate's node (found by its service label on the local engine), else a
 * short-lived container of the same image with only their folder, on the local engine, as the
 * Docker sandbox makes for a stopped workspace (the folder is on storage every node shares).
 */
export function createSwarmSandbox(o: DockerSandboxOptions & { address: 'overlay' | 'gwbridge' }): Sandbox {
  const { engine } = o;
  const elsewhere = createDockerSandbox(o);
  // Tasks reach a loopback forge only through the relay on the node's docker_gwbridge.
  const relay = o.address === 'gwbridge' ? o.relay : undefined;

  return {
    async open(t: SandboxTarget): Promise<SandboxSession> {
      const [task] = await engine.docker
        .listContainers({
          filters: {
            label: [`${serviceLabel}=${containerName(t.userId, t.assignment)}`],
            status: ['running'],
          },
        })
        .catch(engineError);
      if (!task) return elsewhere.open(t);
      if (t.network && relay) {
        // After a restart of labgate, its relay listens again on the bridge's gateway.
        const gateway = (await gatewayBridge(engine))?.gateway;
        if (gateway) await relay.ensure(gateway);
      }
      const session = await attachAgent(engine, engine.docker.getContainer(task.Id), o);
      return sessionWithForge(session, relay, async () => {});
    },
  };
}
