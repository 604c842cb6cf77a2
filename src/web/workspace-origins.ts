import { localPath } from './local-redirect.ts';
/** Where each workspace is served when WORKSPACE_HOST_PATTERN gives it its own origin. */
export interface WorkspaceOrigins {
  /** `https://<id>.ws.example.org`: the origin of workspace `id` (labgate's scheme). */
  originOf(id: string): string;
  /** The workspace a request's Host header names, when it is a workspace's host. */
  idOfHost(host: string | undefined): string | undefined;
  /** Whether an Origin header names a workspace's origin. */
  isWorkspaceOrigin(origin: string): boolean;
}

const label = /^[0-9a-z](?:[0-9a-z-]{0,61}[0-9a-z])?$/;

/** A path of workspace `id` (where its entry may lead): `/user/<id>`, then `/`, `?` or nothing. */
export const isWorkspacePath = (id: string, path: string) => {
  // Judged as the browser will read it: `/user/A/../B/` is B's.
  const local = localPath(path);
  return (
    local === path && path.startsWith(`/user/${id}`) && /^(?:[/?]|$)/.test(path.slice(`/user/${id}`.length))
  );
};

/** `pattern` is `{id}.ws.example.org[:port]`, as validated by the configuration. */
export function workspaceOrigins(pattern: string, publicBaseUrl: URL): WorkspaceOrigins {
  const scheme = publicBaseUrl.protocol;
  // Parsing drops a default port (":443" on https), as browsers do in the Host header they send.
  const normalHost = (host: string) => {
    try {
      return new URL(`${scheme}//${host}`).host;
    } catch {
      return undefined;
    }
  };
  const suffix = normalHost(pattern.replace('{id}', 'x'))!.slice(1);
  const idOfHost = (host: string | undefined) => {
    const normal = host && normalHost(host.toLowerCase());
    if (!normal?.endsWith(suffix)) return undefined;
    const id = normal.slice(0, -suffix.length);
    return label.test(id) ? id : undefined;
  };
  return {
    idOfHost,
    isWorkspaceOrigin: (origin) =>
      URL.canParse(origin) &&
      new URL(origin).protocol === scheme &&
      idOfHost(new URL(origin).host) !== undefined,
    originOf: (id) => new URL(`${scheme}//${pattern.replace('{id}', id)}`).origin,
  };
}
