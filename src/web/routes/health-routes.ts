import type { FastifyInstance } from 'fastify';

/** What `/readyz` shows: which dependency failed and why in a few words, never a host, URL or secret. */
export interface ReadinessView {
  ready: boolean;
  failed: string[];
  checks: Record<string, { ok: boolean; ms: number; error?: string } | undefined>;
}

const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Route options that keep a route's request lines out of the log, never lowering its level. */
export function quietRoute(server: FastifyInstance): { logLevel?: 'warn' } {
  return levels.indexOf(server.log.level) >= levels.indexOf('warn') ? {} : { logLevel: 'warn' };
}

/**
 * `/healthz`: the process is up and serving (no dependency asked, so a GitLab outage never gets
 * labgate restarted). `/readyz`: 200 when the database, forge and engine answer, else 503 naming them.
 */
export function registerHealthRoutes(
  server: FastifyInstance,
  deps: { readiness: () => Promise<ReadinessView> },
) {
  // Probes come every few seconds: their lines would drown the log.
  const quiet = quietRoute(server);
  server.get('/healthz', quiet, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'up' }),
  );
  server.get('/readyz', quiet, async (_request, reply) => {
    const r = await deps.readiness();
    return reply
      .status(r.ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: r.ready ? 'ready' : 'unready', failed: r.failed, checks: r.checks });
  });
}
