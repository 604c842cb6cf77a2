import type { FastifyInstance } from 'fastify';
import type { SessionStore, WorkspacePassStore } from '../../identity/index.ts';
import type { WorkspaceStore } from '../../workspaces/index.ts';
import { pickLang } from '../i18n.ts';
import { localPath } from '../local-redirect.ts';
import { workspaceSignedOutPage } from '../pages/account-pages.ts';
import { readSessionId } from '../session-cookie.ts';
import { webErrors } from '../web-errors.ts';
import { mayOpenWorkspace } from '../workspace-access.ts';
import { isWorkspacePath, type WorkspaceOrigins } from '../workspace-origins.ts';

export interface WorkspaceEntryRouteDeps {
  sessions: Pick<SessionStore, 'findSession'>;
  workspaces: Pick<WorkspaceStore, 'find'>;
  passes: Pick<WorkspacePassStore, 'issueCode'>;
  origins: WorkspaceOrigins;
  teachersSeeWorkspaces: boolean;
}

const schema = {
  params: {
    type: 'object',
    properties: { id: { type: 'string', pattern: '^[0-9a-z]{1,63}$' } },
    required: ['id'],
  },
  querystring: {
    type: 'object',
    properties: {
      // The hash of this browser's state cookie on the workspace origin: the code only works there.
      state: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
      next: { type: 'string', pattern: '^/user/', maxLength: 4096 },
    },
    required: ['state', 'next'],
  },
} as const;

/**
 * labgate's half of entering a workspace on its own origin (WORKSPACE_HOST_PATTERN): the session
 * here may open it, so a one-time code goes to the workspace's origin, which trades it for its cookie.
 */
export function registerWorkspaceEntryRoutes(server: FastifyInstance, deps: WorkspaceEntryRouteDeps) {
  server.get('/workspaces/:id/enter', { schema }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const { state, next: asked } = request.query as { state: string; next: string };
    reply.header('cache-control', 'no-store');
    const sessionId = readSessionId(request);
    const session = sessionId ? await deps.sessions.findSession(sessionId) : undefined;
    if (!sessionId || !session) {
      // Most often a JupyterLab tab reloaded after its person signed out: say so.
      const lang = pickLang({ acceptLanguage: request.headers['accept-language'] });
      return reply.status(401).type('text/html; charset=utf-8').send(workspaceSignedOutPage(lang));
    }
    // A code travels in top-level navigations only, never to a script's fetch or an embedded image.
    const mode = request.headers['sec-fetch-mode'];
    if (mode !== undefined && mode !== 'navigate') throw webErrors.workspaceEntry();
    const ws = await deps.workspaces.find(id);
    if (!ws || !mayOpenWorkspace(session, ws, deps.teachersSeeWorkspaces))
      throw webErrors.workspaceNotYours();
    // Normalized first (`..`, tabs, `\`), then checked: what the browser will follow is what was checked.
    const next = localPath(asked);
    if (!next || !isWorkspacePath(id, next))
      throw webErrors.badRequest('next must be a page of that workspace');
    const code = await deps.passes.issueCode({ sessionId, workspaceId: id, stateHash: state });
    const to = new URL('/_labgate/enter', deps.origins.originOf(id));
    to.search = new URLSearchParams({ code, next }).toString();
    return reply.redirect(to.href, 303);
  });
}
