import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';

const root = path.resolve(import.meta.dirname, '../..');
export const podmanSocket = process.env.LABGATE_TEST_DOCKER_SOCKET ?? '/run/podman/podman.sock';

/**
 * Podman's Docker API and the test notebook image, both made on first need and reused after (the
 * image tag carries its recipe's hash). Returns the image name.
 */
export function ensureNotebookImage(): string {
  execFileSync('bash', [path.join(root, 'scripts/ensure-containers.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return execFileSync('bash', [path.join(root, 'scripts/build-notebook-image.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  }).trim();
}

/**
 * The test image with a real JupyterLab 4.6.3 frontend and labgate's extension, built from npm on
 * first need (scripts/build-lab-image.sh) on top of the notebook image, and reused after.
 */
export function ensureLabImage(): string {
  return execFileSync('bash', [path.join(root, 'scripts/build-lab-image.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  }).trim();
}

/** A file in a running workspace's folder, read as the learner inside their container. */
export async function readInWorkspace(workspaceId: string, file: string): Promise<string> {
  const docker = new Docker({ socketPath: podmanSocket });
  const exec = await docker.getContainer(`labgate-ws-${workspaceId}`).exec({
    Cmd: ['cat', '--', `/home/learner/work/${file}`],
    User: '1000:1000',
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({});
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  docker.modem.demuxStream(stream, out, new PassThrough().resume());
  await new Promise((resolve) => stream.on('end', resolve));
  if ((await exec.inspect()).ExitCode !== 0) throw new Error(`${file} is not in workspace ${workspaceId}`);
  return Buffer.concat(chunks).toString('utf8');
}

/** Removes what workspaces left on the engine: containers, their networks and storage volumes. */
export async function removeWorkspaces(workspaceIds: Iterable<string>) {
  const docker = new Docker({ socketPath: podmanSocket });
  for (const id of workspaceIds) {
    // A workspace from the warm pool keeps its pool network and volume: read them from the container.
    const info = await docker
      .getContainer(`labgate-ws-${id}`)
      .inspect()
      .catch(() => undefined);
    await docker
      .getContainer(`labgate-ws-${id}`)
      .remove({ force: true })
      .catch(() => {});
    const networks = [`labgate-net-${id}`, ...Object.keys(info?.NetworkSettings.Networks ?? {})];
    for (const name of new Set(networks.filter((n) => n.startsWith('labgate-net-'))))
      await docker
        .getNetwork(name)
        .remove()
        .catch(() => {});
    const volumes = [`labgate-ws-${id}`, ...(info?.Mounts ?? []).map((m) => m.Name ?? '')];
    for (const name of new Set(volumes.filter((v) => v.startsWith('labgate-ws-'))))
      await docker
        .getVolume(name)
        .remove()
        .catch(() => {});
  }
}

/**
 * An image under a second name of `repository`, as an operator's R or Julia image would be: `tag()` makes
 * it (in beforeAll), `remove()` takes the name away again.
 */
export function imageAlias(image: string, repository: string) {
  const tag = randomBytes(4).toString('hex');
  const docker = new Docker({ socketPath: podmanSocket });
  return {
    name: `${repository}:${tag}`,
    tag: () => docker.getImage(image).tag({ repo: repository, tag }),
    remove: () =>
      docker
        .getImage(`${repository}:${tag}`)
        .remove()
        .catch(() => {}),
  };
}

/**
 * The real Podman on a socket of its own, except that it says it runs the netavark network backend
 * (libpod /info): every other request goes to the real engine. labgate refuses Podman 4 with netavark.
 */
export async function netavarkPodman(socket: string) {
  const stand = createServer((req, res) => {
    const upstream = request(
      { socketPath: podmanSocket, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        if (!req.url?.endsWith('/libpod/info')) {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        let body = '';
        up.on('data', (c: Buffer) => (body += c.toString()));
        up.on('end', () => {
          const info = JSON.parse(body) as { host: { networkBackend: string } };
          info.host.networkBackend = 'netavark';
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info));
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => stand.listen(socket, r));
  return { close: () => new Promise<void>((r) => stand.close(() => r())) };
}
