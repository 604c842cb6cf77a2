import type { FastifyInstance, FastifyReply } from 'fastify';

/** labgate's mark: a notebook page with a branch, in the pages' blue (browsers ask for it on every page). */
const icon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="5" y="3" width="22" height="26" rx="3" fill="#1f6feb"/><path d="M11 9v14M11 13c6 0 9 2 10 6" stroke="#fff" stroke-width="2.5" fill="none" stroke-linecap="round"/><circle cx="11" cy="9" r="2.5" fill="#fff"/><circle cx="11" cy="23" r="2.5" fill="#fff"/><circle cx="21" cy="19" r="2.5" fill="#fff"/></svg>`;

export function registerFavicon(server: FastifyInstance) {
  const answer = async (_: unknown, reply: FastifyReply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(icon);
  server.get('/favicon.ico', answer);
  server.get('/favicon.svg', answer);
}
