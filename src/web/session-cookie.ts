import type { FastifyReply, FastifyRequest } from 'fastify';

export const sessionCookieName = 'labgate_session';

/**
 * Launches arrive cross-site (and sometimes inside an LMS iframe), so the cookie must be
 * SameSite=None, which browsers only keep when Secure; http://localhost counts as secure.
 */
export function sessionCookieOptions(publicBaseUrl: URL, ttlSeconds: number) {
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(publicBaseUrl.hostname);
  const secure = publicBaseUrl.protocol === 'https:' || local;
  return {
    path: '/',
    httpOnly: true,
    secure,
    sameSite: secure ? ('none' as const) : ('lax' as const),
    maxAge: ttlSeconds,
  };
}

export type SessionCookieOptions = ReturnType<typeof sessionCookieOptions>;

export const readSessionId = (request: FastifyRequest): string | undefined =>
  request.cookies[sessionCookieName] || undefined;

export const setSessionCookie = (reply: FastifyReply, id: string, options: SessionCookieOptions) =>
  reply.setCookie(sessionCookieName, id, options);

export const clearSessionCookie = (reply: FastifyReply, options: SessionCookieOptions) =>
  reply.clearCookie(sessionCookieName, { ...options, maxAge: 0 });
