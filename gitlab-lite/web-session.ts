import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { digest } from './auth.ts';
import type { Store } from './store.ts';

export const sessionCookie = '_gitlab_session';

export interface WebUser {
  id: number;
  username: string;
  name: string;
  state: string;
  is_admin: number;
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The person signed in to the web UI (GitLab's `_gitlab_session`), if any. */
export function webUser(store: Store, request: FastifyRequest): WebUser | undefined {
  const id = readCookie(request, sessionCookie);
  if (!id) return undefined;
  return store
    .prepare(
      `SELECT u.id, u.username, u.name, u.state, u.is_admin FROM web_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id_digest = ? AND u.state = 'active'`,
    )
    .get(digest(id)) as WebUser | undefined;
}

/**
 * Signs `userId` in to the web UI. Whoever this browser was signed in as is signed out first: their
 * session row goes, not only the cookie (a shared computer, one person after another).
 */
export function startWebSession(store: Store, request: FastifyRequest, reply: FastifyReply, userId: number) {
  const previous = readCookie(request, sessionCookie);
  if (previous) store.prepare('DELETE FROM web_sessions WHERE id_digest = ?').run(digest(previous));
  const id = randomBytes(24).toString('base64url');
  store
    .prepare('INSERT INTO web_sessions (id_digest, user_id, created_at) VALUES (?, ?, ?)')
    .run(digest(id), userId, new Date().toISOString());
  reply.header('set-cookie', `${sessionCookie}=${id}; Path=/; HttpOnly; SameSite=Lax`);
}

export function endWebSession(store: Store, request: FastifyRequest, reply: FastifyReply) {
  const id = readCookie(request, sessionCookie);
  if (id) store.prepare('DELETE FROM web_sessions WHERE id_digest = ?').run(digest(id));
  reply.header('set-cookie', `${sessionCookie}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
}
