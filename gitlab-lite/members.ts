import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Access, namespaceAccess, projectAccess } from './access.ts';
import { requireCaller } from './auth.ts';
import { conflict, forbidden, GitlabError, invalidParams, notFound } from './gitlab-errors.ts';

// ActiveRecord::RecordNotFound, as GitLab renders it for a missing member.
const recordNotFound = () => new GitlabError(404, { message: '404 Not found' });
import { findNamespace, getNamespace } from './namespaces.ts';
import { paginate } from './pagination.ts';
import { canAccess, findProjectIn } from './projects.ts';
import type { Store } from './store.ts';
import { userEntities, type UserRow } from './user-entities.ts';

type Params = Record<string, unknown>;
type Source = { type: 'project' | 'namespace'; id: number; level: number };
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const assignable = [
  Access.minimal,
  Access.guest,
  Access.planner,
  Access.reporter,
  Access.developer,
  Access.maintainer,
  Access.owner,
];

/** Project and group members (`/projects/:id/members`, `/groups/:id/members`), GitLab's Member entity. */
export function registerMemberRoutes(server: FastifyInstance, store: Store, baseUrl: () => string) {
  const users = userEntities(store, baseUrl);

  // The source and the caller's level on it; sources the caller cannot see are 404, as in GitLab.
  function source(request: FastifyRequest, kind: 'projects' | 'groups'): Source {
    const caller = requireCaller(store, request);
    const id = (request.params as { id: string }).id;
    if (kind === 'projects') {
      const project = findProjectIn(store, id);
      const ns = project && getNamespace(store, String(project.namespace_id));
      if (!project || !ns || !canAccess(store, caller, project, ns, 'see')) throw notFound('Project');
      return { type: 'project', id: project.id, level: projectAccess(store, caller, project, ns) };
    }
    const ns = findNamespace(store, id);
    if (!ns || ns.kind !== 'group') throw notFound('Group');
    const level = caller.isAdmin ? Access.admin : namespaceAccess(store, caller.userId, ns);
    if (level < Access.guest && ns.visibility !== 'public') throw notFound('Group');
    return { type: 'namespace', id: ns.id, level };
  }

  const memberEntity = (
    u: UserRow,
    m: { access_level: number; expires_at: string | null; created_at: string },
  ) => ({
    ...users.basic(u),
    access_level: m.access_level,
    created_at: m.created_at,
    expires_at: m.expires_at,
  });

  for (const kind of ['projects', 'groups'] as const) {
    server.get(`/api/v4/${kind}/:id/members`, async (request, reply) => {
      const s = source(request, kind);
      const rows = store
        .prepare(
          `SELECT u.*, m.access_level AS m_level, m.expires_at AS m_expires, m.created_at AS m_created FROM members m
           JOIN users u ON u.id = m.user_id WHERE m.source_type = ? AND m.source_id = ? ORDER BY u.id`,
        )
        .all(s.type, s.id) as Array<
        UserRow & { m_level: number; m_expires: string | null; m_created: string }
      >;
      return paginate(request, reply, baseUrl(), rows).map((r) =>
        memberEntity(r, { access_level: r.m_level, expires_at: r.m_expires, created_at: r.m_created }),
      );
    });

    server.post(`/api/v4/${kind}/:id/members`, async (request, reply) => {
      const s = source(request, kind);
      if (s.level < Access.maintainer) throw forbidden();
      const p = { ...(request.query as Params), ...((request.body ?? {}) as Params) };
      const level = Number(str(p.access_level));
      if (!str(p.user_id) && !str(p.username))
        throw invalidParams('user_id, username are missing, exactly one parameter must be provided');
      if (!str(p.access_level)) throw invalidParams('access_level is missing');
      if (!assignable.includes(level as (typeof assignable)[number]))
        throw invalidParams('access_level does not have a valid value');
      const user = (
        str(p.user_id)
          ? store.prepare('SELECT * FROM users WHERE id = ?').get(Number(str(p.user_id)))
          : store.prepare('SELECT * FROM users WHERE username = ?').get(str(p.username))
      ) as UserRow | undefined;
      if (!user) throw notFound('User');
      if (level > s.level) throw forbidden('A member cannot be given a higher role than your own');
      const existing = store
        .prepare('SELECT 1 FROM members WHERE source_type = ? AND source_id = ? AND user_id = ?')
        .get(s.type, s.id, user.id);
      if (existing) throw conflict('Member already exists');
      const created = new Date().toISOString();
      const expires = str(p.expires_at) ?? null;
      store
        .prepare(
          'INSERT INTO members (source_type, source_id, user_id, access_level, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(s.type, s.id, user.id, level, expires, created);
      return reply
        .status(201)
        .send(memberEntity(user, { access_level: level, expires_at: expires, created_at: created }));
    });

    const memberOf = (s: Source, userId: number) =>
      store
        .prepare(
          `SELECT u.*, m.access_level AS m_level, m.expires_at AS m_expires, m.created_at AS m_created FROM members m
           JOIN users u ON u.id = m.user_id WHERE m.source_type = ? AND m.source_id = ? AND m.user_id = ?`,
        )
        .get(s.type, s.id, userId) as
        (UserRow & { m_level: number; m_expires: string | null; m_created: string }) | undefined;
    const render = (r: UserRow & { m_level: number; m_expires: string | null; m_created: string }) =>
      memberEntity(r, { access_level: r.m_level, expires_at: r.m_expires, created_at: r.m_created });

    server.get(`/api/v4/${kind}/:id/members/:user_id`, async (request) => {
      const s = source(request, kind);
      const row = memberOf(s, Number((request.params as { user_id: string }).user_id));
      if (!row) throw recordNotFound();
      return render(row);
    });

    server.put(`/api/v4/${kind}/:id/members/:user_id`, async (request) => {
      const s = source(request, kind);
      if (s.level < Access.maintainer) throw forbidden();
      const userId = Number((request.params as { user_id: string }).user_id);
      const p = { ...(request.query as Params), ...((request.body ?? {}) as Params) };
      const level = Number(str(p.access_level));
      if (!str(p.access_level)) throw invalidParams('access_level is missing');
      if (!assignable.includes(level as (typeof assignable)[number]))
        throw invalidParams('access_level does not have a valid value');
      if (!memberOf(s, userId)) throw recordNotFound();
      store
        .prepare(
          'UPDATE members SET access_level = ?, expires_at = ? WHERE source_type = ? AND source_id = ? AND user_id = ?',
        )
        .run(level, str(p.expires_at) ?? null, s.type, s.id, userId);
      return render(memberOf(s, userId)!);
    });

    server.delete(`/api/v4/${kind}/:id/members/:user_id`, async (request, reply) => {
      const s = source(request, kind);
      if (s.level < Access.maintainer) throw forbidden();
      const userId = Number((request.params as { user_id: string }).user_id);
      const removed = store
        .prepare('DELETE FROM members WHERE source_type = ? AND source_id = ? AND user_id = ?')
        .run(s.type, s.id, userId);
      if (removed.changes === 0) throw notFound('Member');
      return reply.status(204).send();
    });
  }
}
