import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { quietRoute } from './health-routes.ts';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Equal digests compared in constant time: neither the token's bytes nor its length leak by timing. */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

const bearer = (header: string | undefined) => /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1];

/**
 * `GET /metrics` in Prometheus' text format, for a scraper sending `Authorization: Bearer <token>`.
 * Without a configured token the route does not exist (404): metrics stay off unless asked for.
 */
export function registerMetricsRoutes(
  server: FastifyInstance,
  deps: { token: string; contentType: string; render: () => Promise<string> },
) {
  server.get('/metrics', quietRoute(server), async (request, reply) => {
    const given = bearer(request.headers.authorization);
    if (!given || !sameToken(given, deps.token)) {
      request.log.info({ given: given ? 'wrong token' : 'no bearer token' }, 'metrics scrape refused');
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer realm="labgate metrics"')
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send('A bearer token is required: send Authorization: Bearer <METRICS_TOKEN>.\n');
    }
    return reply
      .header('cache-control', 'no-store')
      .type(deps.contentType)
      .send(await deps.render());
  });
}
