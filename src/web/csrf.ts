import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionStore } from '../identity/index.ts';
import { isFormBody } from './form-body.ts';
import { readSessionId } from './session-cookie.ts';
import { webErrors } from './web-errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on routes that take cross-site posts by design (LTI launches); they carry their own proof. */
    csrfExempt?: boolean;
  }
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function submittedToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  return isFormBody(request.body) ? (request.body.fields.get('_csrf') ?? undefined) : undefined;
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Every state-changing route needs the session's CSRF token (form field `_csrf` or header
 * `X-CSRF-Token`) and, when the browser sends one, an Origin equal to labgate's own.
 */
export function registerCsrfProtection(
  server: FastifyInstance,
  o: {
    sessions: Pick<SessionStore, 'findSession'>;
    publicOrigin: string;
    /** Workspaces' own origins (WORKSPACE_HOST_PATTERN): the same site as labgate's, often. */
    isWorkspaceOrigin?: (origin: string) => boolean;
  },
) {
  server.addHook('preHandler', async (request) => {
    if (!unsafe.has(request.method)) return;
    const origin = request.headers.origin;
    // A learner's page never posts to labgate, not even to the routes that take other sites' posts.
    if (origin !== undefined && o.isWorkspaceOrigin?.(origin))
      throw webErrors.csrf(`it came from a workspace (${origin})`);
    if (request.routeOptions.config.csrfExempt) return;
    if (origin !== undefined && origin !== o.publicOrigin) throw webErrors.csrf(`it came from ${origin}`);
    const sessionId = readSessionId(request);
    const session = sessionId ? await o.sessions.findSession(sessionId) : undefined;
    if (!session) throw webErrors.noSession();
    const token = submittedToken(request);
    if (!token || !same(token, session.csrfToken))
      throw webErrors.csrf('its security token is missing or stale');
  });
}
