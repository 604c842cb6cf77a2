import type { FastifyInstance } from 'fastify';
import { requireCaller } from './auth.ts';
import type { Store } from './store.ts';

export const liteVersion = '18.5.0-lite';

export interface OmniauthProvider {
  name: string;
  label: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `GET /api/v4/version`, and the sign-in page with one button per OmniAuth provider, posting to
 * `/users/auth/<name>` as GitLab's does: what a diagnostic reads to see how GitLab is set up.
 */
export function registerServerInfoRoutes(
  server: FastifyInstance,
  store: Store,
  o: { providers: OmniauthProvider[] },
) {
  server.get('/api/v4/version', async (request) => {
    requireCaller(store, request);
    return {
      version: liteVersion,
      revision: 'lite',
      kas: { enabled: false, externalUrl: null, version: null },
      enterprise: false,
    };
  });

  server.get('/users/sign_in', async (_request, reply) => {
    const buttons = o.providers
      .map(
        (p) =>
          `<form action="/users/auth/${encodeURIComponent(p.name)}" method="post"><button type="submit" data-testid="${escapeHtml(p.name)}-login-button">${escapeHtml(p.label)}</button></form>`,
      )
      .join('\n');
    return reply
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><title>Sign in · GitLab</title><h1>GitLab</h1>\n${buttons}\n`);
  });
}
