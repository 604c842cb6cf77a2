import type { FastifyInstance } from 'fastify';
import { Access, projectAccess } from './access.ts';
import { requireCaller, type Caller } from './auth.ts';
import { invalidParams } from './gitlab-errors.ts';
import { getNamespace } from './namespaces.ts';
import { paginate } from './pagination.ts';
import { canAccess, projectEntities, type ProjectRow } from './projects.ts';
import { str, truthy } from './repository-reads.ts';
import type { Store } from './store.ts';

const levels: number[] = [
  Access.guest,
  Access.planner,
  Access.reporter,
  Access.developer,
  Access.maintainer,
  Access.owner,
];
const visibilities = ['private', 'internal', 'public'];

/**
 * `GET /projects` with ProjectsFinder's filters (doc/api/projects.md). Membership is the caller's own
 * (with `sudo`, the user an admin acts for), never an admin's rights.
 */
export function registerProjectListRoute(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string },
) {
  const entities = projectEntities(store, o);

  server.get('/api/v4/projects', async (request, reply) => {
    const caller = requireCaller(store, request);
    const q = request.query as Record<string, unknown>;
    const minLevel = str(q.min_access_level) === undefined ? undefined : Number(str(q.min_access_level));
    if (minLevel !== undefined && !levels.includes(minLevel))
      throw invalidParams('min_access_level does not have a valid value');
    const visibility = str(q.visibility);
    if (visibility !== undefined && !visibilities.includes(visibility))
      throw invalidParams('visibility does not have a valid value');
    const search = str(q.search)?.toLowerCase();
    const member: Caller = { ...caller, isAdmin: false };
    const rows = (store.prepare('SELECT * FROM projects ORDER BY id DESC').all() as ProjectRow[]).filter(
      (p) => {
        const ns = getNamespace(store, String(p.namespace_id));
        if (!canAccess(store, caller, p, ns, 'see')) return false;
        const level = projectAccess(store, member, p, ns);
        if (truthy(q.membership) && level < Access.guest) return false;
        if (minLevel !== undefined && level < minLevel) return false;
        if (truthy(q.owned) && level < Access.owner) return false;
        if (visibility && p.visibility !== visibility) return false;
        if (!search) return true;
        const fields = [p.name, p.path, p.description ?? ''];
        if (truthy(q.search_namespaces)) fields.push(`${ns.full_path}/${p.path}`);
        return fields.some((f) => f.toLowerCase().includes(search));
      },
    );
    const render = truthy(q.simple) ? entities.simple : entities.full;
    return paginate(request, reply, o.baseUrl(), rows).map((p) => render(p));
  });
}
