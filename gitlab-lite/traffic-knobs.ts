import type { FastifyInstance } from 'fastify';

/**
 * Test knobs for the failures a real GitLab shows under load: throttling (429 with Retry-After, as
 * Rack::Attack answers), a 502 from Workhorse/Puma, or slow answers. Each applies to API calls only.
 */
export interface TrafficKnobs {
  /** The next N API requests get 429 `Retry later` with this Retry-After (seconds). */
  throttleNext: number;
  retryAfterSeconds: number;
  /** The next N API requests get a 502. */
  badGatewayNext: number;
  /** Each API request gets a 502 with this probability (0 to 1), as a flaky load balancer would. */
  badGatewayRate: number;
  /** Every API request waits this long first. */
  responseDelayMs: number;
}

export function registerTrafficKnobs(server: FastifyInstance, knobs: TrafficKnobs) {
  server.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/v4/')) return;
    if (knobs.responseDelayMs > 0) await new Promise((r) => setTimeout(r, knobs.responseDelayMs));
    if (knobs.throttleNext > 0) {
      knobs.throttleNext--;
      return reply
        .status(429)
        .headers({ 'retry-after': String(knobs.retryAfterSeconds), 'content-type': 'text/plain' })
        .send('Retry later\n');
    }
    const unlucky = knobs.badGatewayRate > 0 && Math.random() < knobs.badGatewayRate;
    if (knobs.badGatewayNext > 0 || unlucky) {
      if (!unlucky) knobs.badGatewayNext--;
      return reply.status(502).type('text/html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
  });
}
