import type { FastifyInstance } from 'fastify';
import { signInFromUpstream } from '../../flows/index.ts';
import type { SessionStore, UpstreamLogin, UserStore } from '../../identity/index.ts';
import { pickLang } from '../i18n.ts';
import { localPathOr } from '../local-redirect.ts';
import { readSessionId, setSessionCookie, type SessionCookieOptions } from '../session-cookie.ts';

export const upstreamLoginPath = '/login/oidc';

/** Direct login through the operator's identity provider, when one is configured. */
export function registerUpstreamLoginRoutes(
  server: FastifyInstance,
  deps: {
    upstream: UpstreamLogin;
    users: Parameters<typeof signInFromUpstream>[0]['users'] & Pick<UserStore, 'findUser'>;
    sessions: Pick<SessionStore, 'startSession' | 'endSession'>;
    sessionTtlSeconds: number;
    cookie: SessionCookieOptions;
    publicBaseUrl: URL;
  },
) {
  server.get(upstreamLoginPath, async (request, reply) => {
    const returnTo = localPathOr((request.query as { return_to?: unknown }).return_to, '/home');
    return reply.redirect(await deps.upstream.start(returnTo), 303);
  });

  server.get(`${upstreamLoginPath}/callback`, async (request, reply) => {
    const { person, returnTo } = await deps.upstream.finish(new URL(request.url, deps.publicBaseUrl));
    const previous = readSessionId(request);
    if (previous) await deps.sessions.endSession(previous);
    const session = await signInFromUpstream(deps, {
      person,
      providerName: deps.upstream.name,
      locale: pickLang({ acceptLanguage: request.headers['accept-language'] }),
    });
    setSessionCookie(reply, session.id, deps.cookie);
    return reply.redirect(localPathOr(returnTo, '/home'), 303); // stored checked; checked again on the way out
  });
}
