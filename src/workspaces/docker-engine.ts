import Docker from 'dockerode';
import { workspaceErrors } from './workspace-errors.ts';

export type EngineKind = 'podman' | 'docker';

/** The engine's HTTP status; Podman answers 500 "no such container/network" where Docker says 404. */
export const statusOf = (err: unknown) => {
  const e = err as { statusCode?: number; message?: string };
  return e.statusCode === 500 && /no such (container|network|volume)/i.test(e.message ?? '')
    ? 404
    : e.statusCode;
};

/** A socket that cannot be reached is the operator's to fix: say so; anything else goes up as is. */
export function engineError(err: unknown): never {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'EACCES')
    throw workspaceErrors.engineDown(`${e.code} on the engine socket`);
  throw err;
}

/**
 * The container engine behind the socket, Docker or Podman's Docker-compatible API. The two differ
 * in small ways labgate must follow (tmpfs owner options, loop-mounted volumes), hence `kind`.
 */
export function connectEngine(socketPath: string) {
  const docker = new Docker({ socketPath });
  let kind: Promise<EngineKind> | undefined;
  return {
    docker,
    kind(): Promise<EngineKind> {
      kind ??= docker.version().then(
        (v) => (v.Components?.some((c) => /podman/i.test(c.Name)) ? 'podman' : 'docker'),
        (err: unknown) => {
          kind = undefined;
          return engineError(err);
        },
      );
      return kind;
    },
    /** Podman's version and network backend (its own API; Docker has neither). */
    async podmanNetworking(): Promise<{ version: string; backend: string }> {
      const info = await new Promise<{ host?: { networkBackend?: string }; version?: { Version?: string } }>(
        (resolve, reject) =>
          docker.modem.dial(
            { path: '/v4.0.0/libpod/info', method: 'GET', options: {}, statusCodes: { 200: true } },
            (err, body) => (err ? reject(err) : resolve(body as object)),
          ),
      ).catch(engineError);
      return { version: info.version?.Version ?? '', backend: info.host?.networkBackend ?? '' };
    },
    /** The container's inspect answer, or undefined when there is none of that name. */
    async inspect(name: string) {
      try {
        return await docker.getContainer(name).inspect();
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        return engineError(err);
      }
    },
  };
}

export type Engine = ReturnType<typeof connectEngine>;

/** The last lines a container printed, cleaned for a message to a person. */
export async function lastWords(engine: Engine, name: string) {
  return engine.docker
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
}
