import { chown, mkdir } from 'node:fs/promises';
import Docker from 'dockerode';
import type { RunningWorkspace, Spawner, WorkspaceInfo, WorkspaceSpec } from './spawner.ts';
import { containerName, labels } from './workspace-names.ts';
import { workspaceErrors } from './workspace-errors.ts';

const jupyterPort = '8888/tcp';
const homeWork = '/home/learner/work';

export interface DockerSpawnerOptions {
  socketPath: string;
  /** uid that owns the learner's files inside the image (the image's `learner`). */
  workspaceUid: number;
  readyTimeoutMs: number;
}

const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;

function engineError(err: unknown): never {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'EACCES')
    throw workspaceErrors.engineDown(`${e.code} on the engine socket`);
  throw err;
}

/** The Spawner on the Docker Engine API (dockerode), which Podman's `system service` also speaks. */
export function createDockerSpawner(o: DockerSpawnerOptions): Spawner {
  const docker = new Docker({ socketPath: o.socketPath });

  async function inspect(name: string) {
    try {
      return await docker.getContainer(name).inspect();
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      return engineError(err);
    }
  }

  async function create(spec: WorkspaceSpec, name: string) {
    await mkdir(spec.workspaceDir, { recursive: true });
    // The learner in the image writes there; as root, hand the folder over (rootless engines map it).
    if (process.getuid?.() === 0) await chown(spec.workspaceDir, o.workspaceUid, o.workspaceUid);
    try {
      await docker.createContainer({
        name,
        Image: spec.image,
        Labels: {
          [labels.managed]: 'true',
          [labels.user]: spec.userId.slice(0, 200),
          [labels.assignment]: spec.assignment.slice(0, 200),
        },
        Cmd: [
          'python3',
          '-m',
          'jupyter_server',
          '--ServerApp.ip=0.0.0.0',
          '--ServerApp.port=8888',
          `--ServerApp.base_url=${spec.baseUrl}`,
          `--ServerApp.root_dir=${homeWork}`,
          '--ServerApp.open_browser=False',
          '--ServerApp.allow_remote_access=True',
        ],
        // The token goes by environment, not the command line that `ps` and inspect show.
        Env: [`JUPYTER_TOKEN=${spec.token}`, `HOME=/home/learner`],
        WorkingDir: homeWork,
        ExposedPorts: { [jupyterPort]: {} },
        HostConfig: {
          Binds: [`${spec.workspaceDir}:${homeWork}`],
          PortBindings: { [jupyterPort]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
          Memory: spec.limits.memoryBytes,
          NanoCpus: Math.round(spec.limits.cpus * 1e9),
          PidsLimit: spec.limits.pids,
        },
      });
    } catch (err) {
      if (statusOf(err) === 404) throw workspaceErrors.imageMissing(spec.image);
      if (statusOf(err) === 409) return; // made by a concurrent launch
      engineError(err);
    }
  }

  async function waitReady(name: string, spec: WorkspaceSpec): Promise<RunningWorkspace> {
    const deadline = Date.now() + o.readyTimeoutMs;
    for (;;) {
      const info = await inspect(name);
      const port = info?.NetworkSettings?.Ports?.[jupyterPort]?.[0]?.HostPort;
      if (info?.State?.Running && port) {
        const target = `http://127.0.0.1:${port}`;
        const ok = await fetch(`${target}${spec.baseUrl}api/status`, {
          headers: { authorization: `token ${spec.token}` },
          signal: AbortSignal.timeout(2_000),
        }).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return { name, target };
      }
      if (Date.now() > deadline || (info && !info.State?.Running && info.State?.Status === 'exited')) {
        const logs = await docker
          .getContainer(name)
          .logs({ stdout: true, stderr: true, tail: 5 })
          .then((b) =>
            b
              .toString('utf8')
              .replace(/[^\x20-\x7e\n]/g, '')
              .trim()
              .slice(-500),
          )
          .catch(() => '');
        throw workspaceErrors.notReady(Math.round(o.readyTimeoutMs / 1000), logs);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  return {
    async start(spec) {
      const name = containerName(spec.userId, spec.assignment);
      let info = await inspect(name);
      if (!info) {
        await create(spec, name);
        info = await inspect(name);
      }
      if (!info?.State?.Running) {
        try {
          await docker.getContainer(name).start();
        } catch (err) {
          if (statusOf(err) !== 304) engineError(err); // 304: already started by a concurrent launch
        }
      }
      return waitReady(name, spec);
    },
    async isRunning(userId, assignment) {
      return Boolean((await inspect(containerName(userId, assignment)))?.State?.Running);
    },
    async stop(userId, assignment) {
      try {
        await docker.getContainer(containerName(userId, assignment)).stop({ t: 5 });
      } catch (err) {
        if (statusOf(err) !== 304 && statusOf(err) !== 404) engineError(err);
      }
    },
    async remove(userId, assignment) {
      try {
        await docker.getContainer(containerName(userId, assignment)).remove({ force: true });
      } catch (err) {
        if (statusOf(err) !== 404) engineError(err);
      }
    },
    async list(): Promise<WorkspaceInfo[]> {
      const containers = await docker
        .listContainers({ all: true, filters: { label: [`${labels.managed}=true`] } })
        .catch(engineError);
      return containers.map((c) => ({
        name: (c.Names[0] ?? '').replace(/^\//, ''),
        userId: c.Labels[labels.user] ?? '',
        assignment: c.Labels[labels.assignment] ?? '',
        state: c.State === 'running' ? 'running' : 'stopped',
        startedAt: c.State === 'running' ? c.Created * 1000 : undefined,
      }));
    },
  };
}
