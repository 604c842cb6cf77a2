import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Access, projectAccess } from './access.ts';
import { requireCaller } from './auth.ts';
import { GitlabError, notFound } from './gitlab-errors.ts';
import { getNamespace, type NamespaceRow } from './namespaces.ts';
import { paginate } from './pagination.ts';
import { canAccess, findProjectIn, type ProjectRow } from './projects.ts';
import type { Store } from './store.ts';
import { userEntities, type UserRow } from './user-entities.ts';

interface MemberRow {
  user_id: number;
  expires_at: string | null;
  created_at: string;
}

/** Everyone with a role on the project: its members, its groups' and their parents' members, its owner. */
function candidates(store: Store, p: ProjectRow, ns: NamespaceRow): MemberRow[] {
  const chain: number[] = [];
  for (let n: NamespaceRow | undefined = ns; n;) {
    chain.push(n.id);
    n = n.parent_id ? getNamespace(store, String(n.parent_id)) : undefined;
  }
  const rows = store
    .prepare(
      `SELECT user_id, expires_at, created_at FROM members
       WHERE (source_type = 'project' AND source_id = ?)
          OR (source_type = 'namespace' AND source_id IN (${chain.map(() => '?').join(', ')}))
       ORDER BY source_type = 'project' DESC`,
    )
    .all(p.id, ...chain) as MemberRow[];
  if (ns.kind === 'user' && ns.owner_id)
    rows.unshift({ user_id: ns.owner_id, expires_at: null, created_at: p.created_at });
  return rows;
}

/**
 * `GET /projects/:id/members/all[/:user_id]` (doc/api/members.md): direct and inherited members, each
 * once with their highest role; 404 for someone without a role, as GitLab answers.
 */
export function registerInheritedMemberRoutes(server: FastifyInstance, store: Store, baseUrl: () => string) {
  const users = userEntities(store, baseUrl);

  function members(request: FastifyRequest) {
    const caller = requireCaller(store, request);
    const p = findProjectIn(store, (request.params as { id: string }).id);
    const ns = p && getNamespace(store, String(p.namespace_id));
    if (!p || !ns || !canAccess(store, caller, p, ns, 'see')) throw notFound('Project');
    const seen = new Map<number, ReturnType<typeof users.basic> & Record<string, unknown>>();
    for (const row of candidates(store, p, ns)) {
      if (seen.has(row.user_id)) continue;
      const user = store.prepare('SELECT * FROM users WHERE id = ?').get(row.user_id) as UserRow | undefined;
      const level = projectAccess(store, { userId: row.user_id, isAdmin: false, scopes: [] }, p, ns);
      if (!user || level < Access.minimal) continue;
      seen.set(user.id, {
        ...users.basic(user),
        access_level: level,
        created_at: row.created_at,
        expires_at: row.expires_at,
      });
    }
    return [...seen.values()].sort((a, b) => a.id - b.id);
  }

  server.get('/api/v4/projects/:id/members/all', async (request, reply) =>
    paginate(request, reply, baseUrl(), members(request)),
  );

  server.get('/api/v4/projects/:id/members/all/:user_id', async (request) => {
    const wanted = Number((request.params as { user_id: string }).user_id);
    const member = members(request).find((m) => m.id === wanted);
    // ActiveRecord::RecordNotFound, as GitLab renders it.
    if (!member) throw new GitlabError(404, { message: '404 Not found' });
    return member;
  });
}
