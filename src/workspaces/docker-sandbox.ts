import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { confinement, forgeHostName, homeWork } from './container-spec.ts';
import { engineError, statusOf, type Engine } from './docker-engine.ts';
import { networksOf, type WorkspaceNetworks } from './docker-network.ts';
import type { WorkspaceStorage } from './docker-storage.ts';
import type { ForgeRelay } from './forge-relay.ts';
import { agentCommand, connectAgent } from './sandbox/agent-client.ts';
import { sandboxErrors } from './sandbox/sandbox-errors.ts';
import type { Sandbox, SandboxSession, SandboxTarget } from './sandbox/sandbox.ts';
import { containerName, labels } from './workspace-names.ts';

export interface DockerSandboxOptions {
  engine: Engine;
  storage: WorkspaceStorage;
  networks: WorkspaceNetworks;
  relay?: ForgeRelay;
  uid: number;
  tmpBytes: number;
  /** Limits of a short-lived sandbox (a running workspace's own limits apply to work done in it). */
  limits: { memoryBytes: number; cpus: number; pids: number };
  /** No session lasts longer: the agent is killed then, whatever it is doing. */
  sessionSeconds: number;
}

/** Starts the agent in `container` as the learner and connects to it over the exec stream. */
export async function attachAgent(engine: Engine, container: Docker.Container, o: DockerSandboxOptions) {
  let exec: Docker.Exec;
  try {
    exec = await container.exec({
      Cmd: agentCommand(homeWork, o.sessionSeconds),
      User: `${o.uid}:${o.uid}`,
      WorkingDir: homeWork,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
  } catch (err) {
    if (statusOf(err) === 404 || statusOf(err) === 409 || statusOf(err) === 500)
      throw sandboxErrors.unavailable('the workspace stopped');
    return engineError(err);
  }
  // Podman delivers stdin only on a hijacked connection (isolation.md §1).
  const stream = (await exec.start({ hijack: true, stdin: true })) as NodeJS.ReadWriteStream & {
    destroy(): void;
  };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  engine.docker.modem.demuxStream(stream, stdout, stderr);
  stderr.resume();
  stream.on('end', () => stdout.end());
  stream.on('error', (err: Error) => stdout.destroy(err));
  const ended = new Promise<void>((resolve) => stdout.once('close', resolve));
  return connectAgent({
    input: stream as unknown as NodeJS.WritableStream as never,
    output: stdout,
    closed: async () => {
      await Promise.race([ended, new Promise((r) => setTimeout(r, 5_000))]);
      stream.destroy();
    },
    timeoutMs: o.sessionSeconds * 1000,
  });
}

/**
 * An agent session that reaches the forge by the relay (when the forge is on labgate's loopback) and
 * removes what was made for it once closed.
 */
export function sessionWithForge(
  session: SandboxSession,
  relay: ForgeRelay | undefined,
  cleanUp: () => Promise<void>,
): SandboxSession {
  const relayed = relay && `http://${forgeHostName}:${relay.port}`;
  return {
    ...session,
    forgeUrl: (url: string) => (relayed ? relayed + new URL(url).pathname : url),
    close: async () => {
      try {
        await session.close();
      } finally {
        await cleanUp();
      }
    },
  };
}

/**
 * Sessions in a learner's sandbox over the Docker API: an exec in their running container, or a
 * short-lived container of the same image with only their folder, confined, removed afterwards.
 */
export function createDockerSandbox(o: DockerSandboxOptions): Sandbox {
  const { engine } = o;
  const { docker } = engine;

  async function throwaway(t: SandboxTarget) {
    const mount = await o.storage.ensure(t.userId, t.assignment, t.image);
    const network = t.network ? await o.networks.ensure(t.userId, t.assignment) : undefined;
    const name = `${containerName(t.userId, t.assignment)}-sb-${randomBytes(4).toString('hex')}`;
    try {
      const c = await docker.createContainer({
        name,
        Image: t.image,
        User: `${o.uid}:${o.uid}`,
        Cmd: ['sleep', String(o.sessionSeconds + 30)],
        WorkingDir: homeWork,
        Labels: { [labels.managed]: 'sandbox' },
        HostConfig: {
          ...confinement({ uid: o.uid, tmpBytes: o.tmpBytes, engine: await engine.kind() }),
          Binds: [`${mount}:${homeWork}`],
          NetworkMode: network?.name ?? 'none',
          Memory: o.limits.memoryBytes,
          NanoCpus: Math.round(o.limits.cpus * 1e9),
          PidsLimit: o.limits.pids,
          ...(o.relay && network ? { ExtraHosts: [`${forgeHostName}:${network.gateway}`] } : {}),
        },
      });
      await c.start();
      if (o.relay && network) await o.relay.ensure(network.gateway);
      return { container: c, network };
    } catch (err) {
      await docker
        .getContainer(name)
        .remove({ force: true })
        .catch(() => {});
      if (statusOf(err) === 404) throw sandboxErrors.unavailable(`the image ${t.image} is missing`);
      return engineError(err);
    }
  }

  return {
    async open(t: SandboxTarget): Promise<SandboxSession> {
      const info = await engine.inspect(containerName(t.userId, t.assignment));
      const running = info?.State?.Running;
      const made = running ? undefined : await throwaway(t);
      if (running && t.network && o.relay) {
        // After a restart of labgate, its relay listens again on a running workspace's gateway.
        for (const n of networksOf(info ?? {})) if (n.gateway) await o.relay.ensure(n.gateway);
      }
      const container = made?.container ?? docker.getContainer(containerName(t.userId, t.assignment));
      const cleanUp = async () => {
        if (!made) return;
        await made.container.remove({ force: true }).catch(() => {});
        // The workspace's own network stays while its container exists (it may have started since).
        if (made.network && !(await engine.inspect(containerName(t.userId, t.assignment)))) {
          const gateway = await o.networks.gateway(t.userId, t.assignment);
          if (gateway) await o.relay?.release(gateway);
          await o.networks.remove(t.userId, t.assignment).catch(() => {});
        }
      };
      let session: SandboxSession;
      try {
        session = await attachAgent(engine, container, o);
      } catch (err) {
        await cleanUp();
        throw err;
      }
      return sessionWithForge(session, o.relay, cleanUp);
    },
  };
}
