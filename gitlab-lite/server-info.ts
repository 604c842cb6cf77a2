import type { FastifyInstance } from 'fastify';
import { requireCaller } from './auth.ts';
import type { Store } from './store.ts';

export const liteVersion = '18.5.0-lite';

export interface OmniauthProvider {
  name: string;
  label: string;
}

/** `GET /api/v4/version`: what a diagnostic reads to see which GitLab this is. */
export function registerServerInfoRoutes(server: FastifyInstance, store: Store) {
  server.get('/api/v4/version', async (request) => {
    requireCaller(store, request);
    return {
      version: liteVersion,
      revision: 'lite',
      kas: { enabled: false, externalUrl: null, version: null },
      enterprise: false,
    };
  });
}
