import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { hashState, type WorkspacePassStore } from '../identity/index.ts';
import { pickLang } from './i18n.ts';
import { workspaceEntryFailedPage } from './pages/workspace-entry-page.ts';
import { cookieValues, workspaceCookies } from './workspace-cookies.ts';
import { isWorkspacePath, type WorkspaceOrigins } from './workspace-origins.ts';
import { isNavigation, workspacePrefix, type WorkspaceProxy } from './workspace-proxy.ts';
import type { ProxyLookups } from './proxy-lookups.ts';

export interface WorkspaceRoutingDeps {
  proxy: WorkspaceProxy;
  /** Absent without WORKSPACE_HOST_PATTERN: workspaces share labgate's origin under /user/<id>/. */
  origins: WorkspaceOrigins | undefined;
  publicBaseUrl: URL;
  /** Read again every few seconds by open WebSockets (`stillValid`), never from a cache. */
  passes: Pick<WorkspacePassStore, 'redeemCode' | 'findPassSession'>;
  /** The session behind a pass, kept a few seconds: what each request reads. */
  lookups: Pick<ProxyLookups, 'findPassSession'>;
  now: () => number;
}

/** Where the HTTP server sends a request before fastify sees it: workspace traffic, by Host and path. */
export interface WorkspaceRouting {
  claims(req: IncomingMessage): boolean;
  request(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
}

const stateShape = /^[A-Za-z0-9_-]{43}$/;
const workspaceLabel = /^[0-9a-z]{1,63}$/;
const workspaceOfPath = (url: string | undefined) => /^\/user\/([^/?#]+)/.exec(url ?? '')?.[1];

function answer(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${text}\n`);
}

const redirect = (res: ServerResponse, location: string, cookies: string[] = []) => {
  res.writeHead(303, {
    location,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    ...(cookies.length ? { 'set-cookie': cookies } : {}),
  });
  res.end();
};

/**
 * With WORKSPACE_HOST_PATTERN, workspace `<id>` lives only at `<id>.<workspace domain>/user/<id>/`,
 * where its own cookie (from a one-time code labgate's origin issued) is the only credential, and
 * labgate's origin serves no workspace content. Without it, `/user/<id>/` on labgate's origin.
 */
export function createWorkspaceRouting(deps: WorkspaceRoutingDeps): WorkspaceRouting {
  const { proxy, origins } = deps;
  const onLabgatePath = (req: IncomingMessage) => req.url?.startsWith(workspacePrefix) === true;
  if (!origins)
    return {
      claims: onLabgatePath,
      request: (req, res) => proxy.request(req, res),
      upgrade: (req, socket, head) => proxy.upgrade(req, socket, head),
    };
  const cookies = workspaceCookies(deps.publicBaseUrl);
  const publicOrigin = deps.publicBaseUrl.origin;

  /** labgate's origin: a page of a workspace is sent to the workspace's own origin; nothing else passes. */
  function onLabgateOrigin(req: IncomingMessage, res: ServerResponse) {
    const id = workspaceOfPath(req.url);
    if (!id || !workspaceLabel.test(id)) return answer(res, 404, 'There is no workspace at this address.');
    const home = origins!.originOf(id);
    if (req.method === 'GET' || req.method === 'HEAD') return redirect(res, `${home}${req.url}`);
    answer(
      res,
      403,
      `Workspaces are served at their own address (${home}); labgate refuses this request here.`,
    );
  }

  /** The caller on workspace `id`'s origin: whoever holds a pass cookie for it, from that origin only. */
  async function caller(req: IncomingMessage, id: string) {
    const passes = cookieValues(req.headers.cookie, cookies.pass);
    const session = await deps.lookups.findPassSession({ passes, workspaceId: id });
    const stillValid = async () =>
      (await deps.passes.findPassSession({ passes, workspaceId: id })) !== undefined;
    return { session, origin: origins!.originOf(id), originRequired: true, stillValid };
  }

  /** No pass yet (or no longer): this browser gets a state cookie, and labgate's origin is asked for a code bound to it. */
  function startEntry(req: IncomingMessage, res: ServerResponse, id: string) {
    // Kept for entries under way in other tabs, unless a sibling origin tossed in a second value.
    const held = cookieValues(req.headers.cookie, cookies.state);
    const state =
      held.length === 1 && stateShape.test(held[0]!) ? held[0]! : randomBytes(32).toString('base64url');
    const to = new URL(`/workspaces/${id}/enter`, publicOrigin);
    to.search = new URLSearchParams({ state: hashState(state), next: req.url! }).toString();
    redirect(res, to.href, [cookies.setState(state)]);
  }

  async function enter(req: IncomingMessage, res: ServerResponse, id: string) {
    const query = new URL(req.url!, 'http://x').searchParams;
    const asked = query.get('next') ?? '';
    const next = isWorkspacePath(id, asked) ? asked : `/user/${id}/`;
    const redeemed =
      req.method === 'GET'
        ? await deps.passes.redeemCode({
            code: query.get('code') ?? '',
            workspaceId: id,
            states: cookieValues(req.headers.cookie, cookies.state),
          })
        : undefined;
    if (!redeemed) {
      const lang = pickLang({ acceptLanguage: req.headers['accept-language'] });
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(workspaceEntryFailedPage(lang, next));
    }
    const maxAge = Math.max(0, Math.floor((redeemed.session.expiresAt - deps.now()) / 1000));
    redirect(res, next, [cookies.setPass(redeemed.pass, maxAge)]);
  }

  async function onWorkspaceOrigin(req: IncomingMessage, res: ServerResponse, id: string) {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/_labgate/enter') return enter(req, res, id);
    const asked = workspaceOfPath(req.url);
    if (asked === undefined) return answer(res, 404, 'There is nothing else at this address.');
    if (asked !== id) return answer(res, 403, 'This address serves another workspace.');
    const who = await caller(req, id);
    if (who.session) return proxy.request(req, res, who);
    if (isNavigation(req)) return startEntry(req, res, id);
    answer(res, 401, 'You have no pass for this workspace, or it has expired: open it again from labgate.');
  }

  const refuseUpgrade = (socket: Duplex, status: string) =>
    void socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);

  return {
    claims: (req) => origins.idOfHost(req.headers.host) !== undefined || onLabgatePath(req),
    async request(req, res) {
      const id = origins.idOfHost(req.headers.host);
      if (id === undefined) return onLabgateOrigin(req, res);
      await onWorkspaceOrigin(req, res, id).catch(() => {
        if (!res.headersSent) answer(res, 500, 'labgate could not check your pass; try again.');
        else res.destroy();
      });
    },
    async upgrade(req, socket, head) {
      const id = origins.idOfHost(req.headers.host);
      if (id === undefined || workspaceOfPath(req.url) !== id) return refuseUpgrade(socket, '403 Forbidden');
      const who = await caller(req, id).catch(() => undefined);
      if (!who?.session) return refuseUpgrade(socket, '401 Unauthorized');
      await proxy.upgrade(req, socket, head, who);
    },
  };
}
