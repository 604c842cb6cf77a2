import type { FastifyInstance } from 'fastify';
import type { SessionStore } from '../../identity/index.ts';
import { pickLang } from '../i18n.ts';
import { cookieBlockedPage, handoffExpiredPage } from '../pages/handoff-page.ts';
import { readSessionId, setSessionCookie, type SessionCookieOptions } from '../session-cookie.ts';

export interface HandoffRouteDeps {
  sessions: Pick<SessionStore, 'findSession' | 'dropHandoff' | 'redeemHandoff'>;
  cookie: SessionCookieOptions;
}

/**
 * Right after a launch: if the session cookie came back, go home. If not (an LMS iframe whose browser
 * blocks third-party cookies), offer a one-time link that continues the same session in a new tab.
 */
export function registerHandoffRoutes(server: FastifyInstance, deps: HandoffRouteDeps) {
  server.get('/launch/continue', async (request, reply) => {
    const q = (request.query ?? {}) as { handoff?: string; tab?: string; lang?: string };
    const lang = pickLang({ query: q.lang, acceptLanguage: request.headers['accept-language'] });
    reply.header('cache-control', 'no-store');
    const sessionId = readSessionId(request);
    if (sessionId && (await deps.sessions.findSession(sessionId))) {
      await deps.sessions.dropHandoff(sessionId);
      return reply.redirect('/home', 303);
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
    return reply.redirect('/home', 303);
  });
}
