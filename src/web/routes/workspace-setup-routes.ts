import type { FastifyInstance } from 'fastify';
import type { ImageSetupView } from '../../workspaces/index.ts';
import { pickLang } from '../i18n.ts';
import { workspaceSetupFragment } from '../pages/workspace-setup-section.ts';

/** The demo's workspace setup section alone, which the home pages fetch again while it changes. */
export function registerWorkspaceSetupRoutes(server: FastifyInstance, setup: { view(): ImageSetupView }) {
  server.get('/workspace-setup', async (request, reply) => {
    const lang = pickLang({
      query: (request.query as { lang?: string }).lang,
      acceptLanguage: request.headers['accept-language'],
    });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(workspaceSetupFragment(lang, setup.view()).value);
  });
}
