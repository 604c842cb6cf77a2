import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Session, SessionStore } from '../identity/index.ts';
import type { Workspace, WorkspaceStore } from '../workspaces/index.ts';
import type { ProxyLookups } from './proxy-lookups.ts';
import { sessionCookieName } from './session-cookie.ts';
import { mayOpenWorkspace } from './workspace-access.ts';
import { cookieValue, workspaceCookieNames } from './workspace-cookies.ts';
import { gitApiOperation } from './workspace-git-api.ts';
import { pickLang, type Lang } from './i18n.ts';
import { workspaceSignedOutPage } from './pages/account-pages.ts';
import { workspaceRefusalPage } from './pages/workspace-refusal-page.ts';
import type { UpstreamCall, WorkspaceUpstream } from './workspace-upstream.ts';

export const workspacePrefix = '/user/';

export interface WorkspaceProxyDeps {
  /** Read again every few seconds by open WebSockets (`stillValid`), never from a cache. */
  sessions: Pick<SessionStore, 'findSession'>;
  workspaces: Pick<WorkspaceStore, 'touch'>;
  /** The session and the workspace of each request, kept a few seconds. */
  lookups: Pick<ProxyLookups, 'findSession' | 'findWorkspace' | 'workspaceChanged'>;
  upstream: Pick<WorkspaceUpstream, 'forward' | 'tunnel' | 'drop'>;
  log: { warn(o: object, msg: string): void };
  /** How often a workspace's activity is written: well under the culler's idle limit. */
  activityEveryMs: number;
  /** labgate's own origin: the only one allowed to change things or open WebSockets in a workspace. */
  publicOrigin: string;
  /** Teachers and TAs of the course may open their learners' workspaces (WORKSPACE_TEACHER_ACCESS). */
  teachersSeeWorkspaces?: boolean;
  /** Told of each request let through: the first after a launch ends that launch's timeline. */
  entered?: (workspaceId: string) => void;
  /** Answers `<workspace>/git-api/<op>` (labgate's own, not the container's). */
  gitApi?: (req: IncomingMessage, res: ServerResponse, ws: Workspace, locale: string) => Promise<void>;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A page the person opened (not a script's request). */
export const isNavigation = (req: IncomingMessage) =>
  req.method === 'GET' &&
  (req.headers['sec-fetch-mode'] === 'navigate' ||
    (req.headers['sec-fetch-mode'] === undefined && /text\/html/.test(req.headers.accept ?? '')));
const labgateCookies = new Set([sessionCookieName, ...workspaceCookieNames]);

/** Who asks, and the origin their state-changing requests and WebSocket opens must come from. */
export interface ProxyCaller {
  session: Session | undefined;
  origin: string;
  /** On a workspace's own origin browsers always send Origin on such requests: none is refused. */
  originRequired: boolean;
  /** Whether what let them in still does (they may sign out): open WebSockets are closed when not. */
  stillValid?: () => Promise<boolean>;
}

/** How often open WebSockets check that their session still lasts (a sign-out closes them this late at most). */
const socketCheckMs = 5_000;

type Running = Workspace & { target: string };
type Verdict =
  | { ws: Running; session: Session; stillValid?: () => Promise<boolean> }
  | { status: number; message: string; lang?: Lang | undefined };

const isRunning = (ws: Workspace): ws is Running => ws.status === 'running' && ws.target !== undefined;
const workspaceOfPath = /^\/user\/([^/?#]+)/;

/** The request as the container should see it: labgate's cookies removed, the server token added. */
function upstreamCall(req: IncomingMessage, ws: Running): UpstreamCall {
  const headers: UpstreamCall['headers'] = { ...req.headers };
  const cookies = (req.headers.cookie ?? '')
    .split(';')
    .filter((c) => !labgateCookies.has(c.split('=')[0]!.trim()) && c.trim());
  if (cookies.length) headers.cookie = cookies.join(';');
  else delete headers.cookie;
  headers.authorization = `token ${ws.token}`;
  return { id: ws.id, target: ws.target, headers };
}

/**
 * `/user/<workspace>/…` to the learner's Jupyter server, HTTP and WebSocket alike. Only the session
 * that owns the workspace gets through; the token is added here and never reaches the browser.
 */
export function createWorkspaceProxy(deps: WorkspaceProxyDeps) {
  const lastTouch = new Map<string, number>();
  /** Records that the workspace is in use, at most once per `activityEveryMs`; the culler reads it. */
  function noteActivity(id: string) {
    const now = Date.now();
    if (now - (lastTouch.get(id) ?? 0) <= deps.activityEveryMs) return;
    lastTouch.set(id, now);
    void deps.workspaces.touch(id, now).catch(() => {});
  }
  /** On labgate's own origin (no WORKSPACE_HOST_PATTERN): labgate's session cookie. */
  async function labgateCaller(req: IncomingMessage): Promise<ProxyCaller> {
    const sessionId = cookieValue(req.headers.cookie, sessionCookieName);
    const session = sessionId ? await deps.lookups.findSession(sessionId) : undefined;
    const stillValid = async () => !!sessionId && (await deps.sessions.findSession(sessionId)) !== undefined;
    return { session, origin: deps.publicOrigin, originRequired: false, stillValid };
  }
  const sockets = watchSockets();

  async function authorize(req: IncomingMessage, upgrade: boolean, given?: ProxyCaller): Promise<Verdict> {
    const { session, stillValid, ...from } = given ?? (await labgateCaller(req));
    // labgate's session cookie is SameSite=None (LMS iframes need it): without this, any site could
    // make a learner's browser start kernels and run code in their workspace (the proxy adds the token).
    const origin = req.headers.origin;
    if (
      (upgrade || !safeMethods.has(req.method ?? 'GET')) &&
      (origin === undefined ? from.originRequired : origin !== from.origin)
    )
      return { status: 403, message: 'This request comes from another site; labgate refuses it.' };
    const id = workspaceOfPath.exec(req.url ?? '')?.[1];
    if (!session)
      return {
        status: 401,
        message: 'You are not signed in to labgate. Open the activity from your course again.',
      };
    const ws = id ? await deps.lookups.findWorkspace(id) : undefined;
    // Someone else's workspace and a workspace that does not exist look the same.
    // The LMS's language of the person (their session), not the browser's.
    const lang = session.locale === 'fr' || session.locale === 'en' ? session.locale : undefined;
    if (!ws || !mayOpenWorkspace(session, ws, deps.teachersSeeWorkspaces === true))
      return { status: 403, message: 'This workspace is not yours.', lang };
    if (!isRunning(ws))
      return {
        lang,
        status: 503,
        message: 'Your workspace is not running. Open the activity from your course to start it again.',
      };
    noteActivity(ws.id);
    deps.entered?.(ws.id);
    return { ws, session, ...(stillValid ? { stillValid } : {}) };
  }

  function refuse(
    res: ServerResponse,
    v: { status: number; message: string; lang?: Lang | undefined },
    req?: IncomingMessage,
  ) {
    // A page opened after signing out (the JupyterLab tab reloaded) says so, in the person's language.
    if (req && isNavigation(req) && (v.status === 401 || v.status === 403 || v.status === 503)) {
      const lang = v.lang ?? pickLang({ acceptLanguage: req.headers['accept-language'] });
      res.writeHead(v.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(
        v.status === 401
          ? workspaceSignedOutPage(lang)
          : workspaceRefusalPage(lang, v.status, `${deps.publicOrigin}/home`),
      );
    }
    res.writeHead(v.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`${v.message}\n`);
  }

  async function request(req: IncomingMessage, res: ServerResponse, caller?: ProxyCaller) {
    const v = await authorize(req, false, caller).catch((err: unknown) => {
      deps.log.warn({ err }, 'workspace proxy could not check the session');
      return { status: 500, message: 'labgate could not check your session; try again.' };
    });
    if (!('ws' in v)) return refuse(res, v, req);
    if (deps.gitApi && gitApiOperation(req.url) !== undefined) {
      // The git buttons act as the learner (commits are authored as them): theirs alone.
      if (v.session.userId !== v.ws.userId)
        return refuse(res, { status: 403, message: 'Only the learner saves or updates their own work.' });
      return deps.gitApi(req, res, v.ws, v.session.locale).catch((err: unknown) => {
        deps.log.warn({ err }, 'git API request failed');
        if (!res.headersSent) refuse(res, { status: 500, message: 'labgate could not answer; try again.' });
      });
    }
    deps.upstream.forward(req, res, upstreamCall(req, v.ws), () =>
      refuse(res, {
        status: 502,
        message: 'Your workspace is not answering. Open the activity again to restart it.',
      }),
    );
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, caller?: ProxyCaller) {
    const v = await authorize(req, true, caller).catch(() => ({
      status: 500,
      message: 'session check failed',
    }));
    if (!('ws' in v)) {
      socket.end(
        `HTTP/1.1 ${v.status} ${v.status === 403 ? 'Forbidden' : 'Unavailable'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    const close = deps.upstream.tunnel(req, socket, head, upstreamCall(req, v.ws));
    // A learner running cells talks over this socket only: that is activity too.
    socket.on('data', () => noteActivity(v.ws.id));
    if (v.stillValid) sockets.add({ stillValid: v.stillValid, close }, socket);
  }

  /** A workspace's status changed in this process: it is read again, and a stopped one's connections close. */
  function workspaceChanged(ws: Workspace) {
    deps.lookups.workspaceChanged(ws.id);
    if (ws.status !== 'running') deps.upstream.drop(ws.id);
  }

  return { request, upgrade, workspaceChanged };
}

export type WorkspaceProxy = ReturnType<typeof createWorkspaceProxy>;

/** Open WebSockets, each closed once what let it in no longer does; one timer for all, while any is open. */
function watchSockets() {
  const open = new Set<{ stillValid: () => Promise<boolean>; close: () => void }>();
  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;
  async function sweep() {
    if (sweeping) return;
    sweeping = true;
    for (const s of [...open]) if (!(await s.stillValid().catch(() => true))) s.close();
    sweeping = false;
  }
  return {
    add(s: { stillValid: () => Promise<boolean>; close: () => void }, socket: Duplex) {
      open.add(s);
      socket.once('close', () => {
        open.delete(s);
        if (open.size === 0 && timer) timer = void clearInterval(timer);
      });
      timer ??= setInterval(() => void sweep(), socketCheckMs).unref();
    },
  };
}
