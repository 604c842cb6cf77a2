import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Access, accessDescription, projectAccess } from './access.ts';
import { requireCaller } from './auth.ts';
import { conflict, forbidden, invalidParams, notFound } from './gitlab-errors.ts';
import { getNamespace } from './namespaces.ts';
import { canAccess, findProjectIn, type ProjectRow } from './projects.ts';
import type { Store } from './store.ts';

interface ProtectedBranchRow {
  id: number;
  project_id: number;
  name: string;
  push_access_level: number;
  merge_access_level: number;
  unprotect_access_level: number;
  allow_force_push: number;
}

type Params = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const levels = [Access.none, Access.developer, Access.maintainer, Access.admin];

const accessEntry = (id: number, level: number) => ({
  id,
  access_level: level,
  access_level_description: accessDescription[level] ?? String(level),
  deploy_key_id: null,
  user_id: null,
  group_id: null,
});

const entity = (b: ProtectedBranchRow) => ({
  id: b.id,
  name: b.name,
  push_access_levels: [accessEntry(b.id * 3, b.push_access_level)],
  merge_access_levels: [accessEntry(b.id * 3 + 1, b.merge_access_level)],
  unprotect_access_levels: [accessEntry(b.id * 3 + 2, b.unprotect_access_level)],
  allow_force_push: b.allow_force_push === 1,
  code_owner_approval_required: false,
});

/** GitLab's branch-name wildcards: `*` matches any run of characters, `/` included. */
export const matches = (pattern: string, branch: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(branch);

/** The pre-receive verdict for one push, with GitLab's messages. */
export function checkPush(
  store: Store,
  o: {
    project: ProjectRow;
    level: number;
    changes: Array<{ ref: string; forced: boolean; deleting: boolean }>;
  },
): { allowed: boolean; message: string } {
  const rules = store
    .prepare('SELECT * FROM protected_branches WHERE project_id = ?')
    .all(o.project.id) as ProtectedBranchRow[];
  // lib/gitlab/git_access.rb: an archived project takes no push, not even an administrator's.
  if (o.project.archived === 1)
    return { allowed: false, message: 'You are not allowed to push code to an archived project.' };
  for (const change of o.changes) {
    if (o.level < Access.developer)
      return { allowed: false, message: 'You are not allowed to push code to this project.' };
    const branch = change.ref.startsWith('refs/heads/') ? change.ref.slice('refs/heads/'.length) : undefined;
    const rule = branch ? rules.find((r) => matches(r.name, branch)) : undefined;
    if (!rule) continue;
    if (change.deleting)
      return { allowed: false, message: 'You can only delete protected branches using the web interface.' };
    if (o.level < rule.push_access_level || rule.push_access_level === Access.none) {
      return {
        allowed: false,
        message: 'You are not allowed to push code to protected branches on this project.',
      };
    }
    if (change.forced && rule.allow_force_push !== 1) {
      return {
        allowed: false,
        message: 'You are not allowed to force push code to a protected branch on this project.',
      };
    }
  }
  return { allowed: true, message: '' };
}

export function registerProtectedBranchRoutes(server: FastifyInstance, store: Store) {
  function project(request: FastifyRequest, minimum: number) {
    const caller = requireCaller(store, request);
    const p = findProjectIn(store, (request.params as { id: string }).id);
    const ns = p && getNamespace(store, String(p.namespace_id));
    if (!p || !ns || !canAccess(store, caller, p, ns, 'see')) throw notFound('Project');
    if (projectAccess(store, caller, p, ns) < minimum) throw forbidden();
    return p;
  }
  const find = (projectId: number, name: string) =>
    store
      .prepare('SELECT * FROM protected_branches WHERE project_id = ? AND name = ?')
      .get(projectId, name) as ProtectedBranchRow | undefined;

  server.get('/api/v4/projects/:id/protected_branches', async (request) => {
    const p = project(request, Access.reporter);
    return (
      store
        .prepare('SELECT * FROM protected_branches WHERE project_id = ? ORDER BY id')
        .all(p.id) as ProtectedBranchRow[]
    ).map(entity);
  });

  server.get('/api/v4/projects/:id/protected_branches/:name', async (request) => {
    const p = project(request, Access.reporter);
    const b = find(p.id, (request.params as { name: string }).name);
    if (!b) throw notFound('Protected Branch');
    return entity(b);
  });

  // gitbeaker sends these parameters in the query string, GitLab reads both.
  server.post('/api/v4/projects/:id/protected_branches', async (request, reply) => {
    const p = project(request, Access.maintainer);
    const q = { ...(request.query as Params), ...((request.body ?? {}) as Params) };
    const name = str(q.name);
    if (!name) throw invalidParams('name is missing');
    if (find(p.id, name)) throw conflict(`Protected branch '${name}' already exists`);
    const level = (key: string) => {
      const value = str(q[key]) === undefined ? Access.maintainer : Number(str(q[key]));
      if (!levels.includes(value as (typeof levels)[number]))
        throw invalidParams(`${key} does not have a valid value`);
      return value;
    };
    const force = q.allow_force_push === true || q.allow_force_push === 'true';
    const id = Number(
      store
        .prepare(
          `INSERT INTO protected_branches (project_id, name, push_access_level, merge_access_level, unprotect_access_level, allow_force_push)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(
          p.id,
          name,
          level('push_access_level'),
          level('merge_access_level'),
          level('unprotect_access_level'),
          force ? 1 : 0,
        ).lastInsertRowid,
    );
    return reply
      .status(201)
      .send(
        entity(store.prepare('SELECT * FROM protected_branches WHERE id = ?').get(id) as ProtectedBranchRow),
      );
  });

  server.delete('/api/v4/projects/:id/protected_branches/:name', async (request, reply) => {
    const p = project(request, Access.maintainer);
    const removed = store
      .prepare('DELETE FROM protected_branches WHERE project_id = ? AND name = ?')
      .run(p.id, (request.params as { name: string }).name);
    if (removed.changes === 0) throw notFound('Protected Branch');
    return reply.status(204).send();
  });
}
