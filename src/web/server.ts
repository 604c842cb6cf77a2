import { createServer as createHttpServer } from 'node:http';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { loggerOptions } from '../logger.ts';
import type { SessionStore } from '../identity/index.ts';
import { registerCsrfProtection } from './csrf.ts';
import { registerErrorHandling } from './error-handler.ts';
import { registerFormBodyParser } from './form-body.ts';
import { workspacePrefix, type WorkspaceProxy } from './workspace-proxy.ts';

export interface ServerOptions {
  logLevel: string;
  /** Where logs go (stdout by default); tests read them to prove no secret is written. */
  logStream?: NodeJS.WritableStream;
  publicBaseUrl: URL;
  sessions: Pick<SessionStore, 'findSession'>;
  /** Proxies /user/<workspace>/… straight on the HTTP server, before fastify parses anything. */
  workspaceProxy?: WorkspaceProxy;
}

/** A fastify instance with labgate's cross-cutting HTTP behaviour; routes are added by the caller. */
export async function createServer(o: ServerOptions): Promise<FastifyInstance> {
  const server = Fastify({
    logger: { ...loggerOptions(o.logLevel), ...(o.logStream ? { stream: o.logStream } : {}) },
    // Host and X-Forwarded-* never decide anything (LTI signs PUBLIC_BASE_URL), so no trustProxy.
    trustProxy: false,
    bodyLimit: 1024 * 1024,
    serverFactory: (handler) => {
      const proxy = o.workspaceProxy;
      const http = createHttpServer((req, res) => {
        if (proxy && req.url?.startsWith(workspacePrefix)) void proxy.request(req, res);
        else handler(req, res);
      });
      http.on('upgrade', (req, socket, head) => {
        if (proxy && req.url?.startsWith(workspacePrefix)) void proxy.upgrade(req, socket, head);
        else socket.destroy();
      });
      return http;
    },
  });
  await server.register(cookie);
  registerFormBodyParser(server);
  registerErrorHandling(server);
  registerCsrfProtection(server, { sessions: o.sessions, publicOrigin: o.publicBaseUrl.origin });
  server.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own forms.
    reply.header('referrer-policy', 'same-origin');
  });
  return server;
}
