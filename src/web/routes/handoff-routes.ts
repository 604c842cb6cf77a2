import type { FastifyInstance } from 'fastify';
import type { Session, SessionStore } from '../../identity/index.ts';
import type { WorkspaceStore } from '../../workspaces/index.ts';
import { pickLang } from '../i18n.ts';
import { cookieBlockedPage, handoffExpiredPage } from '../pages/handoff-page.ts';
import { readSessionId, setSessionCookie, type SessionCookieOptions } from '../session-cookie.ts';

export interface HandoffRouteDeps {
  sessions: Pick<SessionStore, 'findSession' | 'dropHandoff' | 'redeemHandoff'>;
  cookie: SessionCookieOptions;
  /** When workspaces run: a launch goes on to the person's workspace in the course. */
  workspaces?: Pick<WorkspaceStore, 'findFor'>;
}

/**
 * Right after a launch: if the session cookie came back, go on to the workspace (or home without one).
 * If not (an LMS iframe whose browser blocks third-party cookies), offer a one-time link that continues
 * the same session in a new tab.
 */
export function registerHandoffRoutes(server: FastifyInstance, deps: HandoffRouteDeps) {
  // Only here, right after a launch: /home itself always stays the home page.
  async function landing(session: Session) {
    const ws = session.courseId
      ? await deps.workspaces?.findFor(session.userId, session.courseId)
      : undefined;
    return ws ? `/launch/${ws.id}` : '/home';
  }

  server.get('/launch/continue', async (request, reply) => {
    const q = (request.query ?? {}) as { handoff?: string; tab?: string; lang?: string };
    const lang = pickLang({ query: q.lang, acceptLanguage: request.headers['accept-language'] });
    reply.header('cache-control', 'no-store');
    const sessionId = readSessionId(request);
    const session = sessionId ? await deps.sessions.findSession(sessionId) : undefined;
    if (sessionId && session) {
      await deps.sessions.dropHandoff(sessionId);
      return reply.redirect(await landing(session), 303);
    }
    if (typeof q.handoff !== 'string' || q.handoff === '') {
      return reply.status(400).type('text/html; charset=utf-8').send(handoffExpiredPage(lang));
    }
    if (q.tab !== 'new') {
      const next = `/launch/continue?${new URLSearchParams({ handoff: q.handoff, tab: 'new', lang })}`;
      return reply.type('text/html; charset=utf-8').send(cookieBlockedPage(lang, next));
    }
    const newId = await deps.sessions.redeemHandoff(q.handoff);
    if (!newId) return reply.status(410).type('text/html; charset=utf-8').send(handoffExpiredPage(lang));
    setSessionCookie(reply, newId, deps.cookie);
    const moved = await deps.sessions.findSession(newId);
    return reply.redirect(moved ? await landing(moved) : '/home', 303);
  });
}
