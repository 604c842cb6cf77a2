import { randomBytes } from 'node:crypto';
import { confinement, forgeHostName, homeWork } from './container-spec.ts';
import { engineError, statusOf } from './docker-engine.ts';
import { attachAgent, sessionWithForge, type DockerSandboxOptions } from './docker-sandbox.ts';
import { sandboxErrors } from './sandbox/sandbox-errors.ts';
import type { SandboxSession } from './sandbox/sandbox.ts';
import { labels } from './workspace-names.ts';

/** Work on forks that must not touch any learner's folder: a scratch folder in memory. */
export interface ScratchTarget {
  image: string;
  /** Size of the in-memory work folder (it counts against the memory limit). */
  workBytes: number;
}

/**
 * Short-lived sandboxes with an empty work folder in memory and a network that reaches only the
 * forge (through labgate's relay): for labgate's own git work on forks (checking them against the
 * template, bringing them up to date), confined as a learner's, removed afterwards.
 */
export function createScratchSandboxes(o: DockerSandboxOptions) {
  const { engine } = o;
  return {
    async open(t: ScratchTarget): Promise<SandboxSession> {
      const id = randomBytes(6).toString('hex');
      const network = await o.networks.ensure('labgate-scratch', id);
      const name = `labgate-scratch-${id}`;
      const kind = await engine.kind();
      const remove = async () => {
        await engine.docker
          .getContainer(name)
          .remove({ force: true })
          .catch(() => {});
        if (o.relay) await o.relay.release(network.gateway);
        await o.networks.remove('labgate-scratch', id).catch(() => {});
      };
      let session: SandboxSession;
      try {
        const base = confinement({ uid: o.uid, tmpBytes: o.tmpBytes, engine: kind });
        const owner = kind === 'podman' ? 'U' : `uid=${o.uid},gid=${o.uid}`;
        const c = await engine.docker.createContainer({
          name,
          Image: t.image,
          User: `${o.uid}:${o.uid}`,
          Cmd: ['sleep', String(o.sessionSeconds + 30)],
          WorkingDir: homeWork,
          Labels: { [labels.managed]: 'scratch' },
          HostConfig: {
            ...base,
            Tmpfs: { ...base.Tmpfs, [homeWork]: `rw,nosuid,nodev,size=${t.workBytes},mode=0700,${owner}` },
            NetworkMode: network.name,
            Memory: o.limits.memoryBytes + t.workBytes,
            NanoCpus: Math.round(o.limits.cpus * 1e9),
            PidsLimit: o.limits.pids,
            AutoRemove: true,
            ...(o.relay ? { ExtraHosts: [`${forgeHostName}:${network.gateway}`] } : {}),
          },
        });
        await c.start();
        if (o.relay) await o.relay.ensure(network.gateway);
        session = await attachAgent(engine, c, o);
      } catch (err) {
        await remove();
        if (statusOf(err) === 404) throw sandboxErrors.unavailable(`the image ${t.image} is missing`);
        return engineError(err);
      }
      return sessionWithForge(session, o.relay, remove);
    },
  };
}

export type ScratchSandboxes = ReturnType<typeof createScratchSandboxes>;
