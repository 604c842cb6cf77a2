import type { FastifyInstance } from 'fastify';
import { Access, projectAccess } from './access.ts';
import { requireCaller } from './auth.ts';
import { forbidden, notFound } from './gitlab-errors.ts';
import { getNamespace } from './namespaces.ts';
import { canAccess, findProjectIn, projectEntities } from './projects.ts';
import type { Store } from './store.ts';

/**
 * `POST /projects/:id/archive` and `/unarchive` (doc/api/projects.md): Owners and administrators; 201
 * with the project, idempotent. An archived project takes no push, by git or the API (see checkPush).
 */
export function registerProjectArchiveRoutes(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string },
) {
  const entities = projectEntities(store, o);
  for (const [action, archived] of [
    ['archive', 1],
    ['unarchive', 0],
  ] as const) {
    server.post(`/api/v4/projects/:id/${action}`, async (request, reply) => {
      const caller = requireCaller(store, request);
      const project = findProjectIn(store, (request.params as { id: string }).id);
      const ns = project && getNamespace(store, String(project.namespace_id));
      if (!project || !ns || !canAccess(store, caller, project, ns, 'see')) throw notFound('Project');
      if (projectAccess(store, caller, project, ns) < Access.owner) throw forbidden();
      store.prepare('UPDATE projects SET archived = ? WHERE id = ?').run(archived, project.id);
      return reply.status(201).send(entities.full(findProjectIn(store, String(project.id))!));
    });
  }
}
