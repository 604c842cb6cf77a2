import type { FastifyInstance } from 'fastify';
import type { SessionStore } from '../identity/index.ts';
import { pickLang } from './i18n.ts';
import { signOutBar } from './pages/account-pages.ts';
import { accountSlot } from './pages/layout.ts';
import { readSessionId } from './session-cookie.ts';

/**
 * Every labgate page a signed-in person gets carries a Sign out form (with their CSRF token) where the
 * layout left its slot; a page without a session keeps the slot empty. Workspace origins never get one:
 * their traffic does not pass through fastify.
 */
export function registerAccountBar(
  server: FastifyInstance,
  o: { sessions: Pick<SessionStore, 'findSession'> },
) {
  server.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' || !payload.includes(accountSlot.value)) return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    const id = readSessionId(request);
    const session = id ? await o.sessions.findSession(id) : undefined;
    const lang = pickLang({
      query: (request.query as { lang?: string } | undefined)?.lang,
      session: session?.locale,
      acceptLanguage: request.headers['accept-language'],
    });
    return payload.replace(accountSlot.value, session ? signOutBar(lang, session.csrfToken).value : '');
  });
}
