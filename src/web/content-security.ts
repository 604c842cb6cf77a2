import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** A fresh nonce for one response's scripts. */
export const scriptNonce = () => randomBytes(18).toString('base64');

/**
 * Pages that show learners' notebooks: only scripts carrying this response's nonce run, whatever the
 * sanitizer let through; images only inline, nothing loaded from elsewhere, no <base>, no plugins.
 */
export function hostileContentPolicy(reply: FastifyReply, nonce: string) {
  return reply.header(
    'content-security-policy',
    [
      "default-src 'self'",
      `script-src 'nonce-${nonce}'`,
      "style-src 'unsafe-inline'",
      'img-src data:',
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
    ].join('; '),
  );
}
