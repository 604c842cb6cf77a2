import { createServer as createHttpServer } from 'node:http';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { loggerOptions } from '../logger.ts';
import type { SessionStore } from '../identity/index.ts';
import { registerAccountBar } from './account-bar.ts';
import { registerCsrfProtection } from './csrf.ts';
import { registerErrorHandling } from './error-handler.ts';
import { registerFavicon } from './favicon.ts';
import { registerFormBodyParser } from './form-body.ts';
import type { WorkspaceRouting } from './workspace-origin-router.ts';
import type { WorkspaceOrigins } from './workspace-origins.ts';

export interface ServerOptions {
  logLevel: string;
  /** Where logs go (stdout by default); tests read them to prove no secret is written. */
  logStream?: NodeJS.WritableStream;
  publicBaseUrl: URL;
  sessions: Pick<SessionStore, 'findSession'>;
  /** Workspace traffic (by Host and path), answered on the HTTP server before fastify parses anything. */
  workspaceRouting?: WorkspaceRouting;
  /** Set when each workspace has its own origin: their requests never change anything of labgate's. */
  workspaceOrigins?: WorkspaceOrigins;
}

/** A fastify instance with labgate's cross-cutting HTTP behaviour; routes are added by the caller. */
export async function createServer(o: ServerOptions): Promise<FastifyInstance> {
  const server = Fastify({
    logger: { ...loggerOptions(o.logLevel), ...(o.logStream ? { stream: o.logStream } : {}) },
    // Host and X-Forwarded-* never decide anything (LTI signs PUBLIC_BASE_URL), so no trustProxy.
    trustProxy: false,
    bodyLimit: 1024 * 1024,
    serverFactory: (handler) => {
      const routing = o.workspaceRouting;
      const http = createHttpServer((req, res) => {
        if (routing?.claims(req)) void routing.request(req, res);
        else handler(req, res);
      });
      http.on('upgrade', (req, socket, head) => {
        if (routing?.claims(req)) void routing.upgrade(req, socket, head);
        else socket.destroy();
      });
      return http;
    },
  });
  await server.register(cookie);
  registerFormBodyParser(server);
  registerErrorHandling(server, { sessions: o.sessions });
  registerCsrfProtection(server, {
    sessions: o.sessions,
    publicOrigin: o.publicBaseUrl.origin,
    ...(o.workspaceOrigins ? { isWorkspaceOrigin: o.workspaceOrigins.isWorkspaceOrigin } : {}),
  });
  registerAccountBar(server, { sessions: o.sessions });
  registerFavicon(server);
  server.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own forms.
    reply.header('referrer-policy', 'same-origin');
  });
  return server;
}
