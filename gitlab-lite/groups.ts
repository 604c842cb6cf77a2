import type { FastifyInstance } from 'fastify';
import { requireCaller } from './auth.ts';
import { forbidden, GitlabError, invalidParams, notFound } from './gitlab-errors.ts';
import { findNamespace, namespaceEntity, type NamespaceRow } from './namespaces.ts';
import type { Store } from './store.ts';

type Params = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const pathPattern = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*(?<!\.|\.git|\.atom)$/;
const visibilities = ['private', 'internal', 'public'];

// GitLab answers a failed group save with the Ruby inspection of the errors hash (lib/api/groups.rb).
const saveFailed = (field: string, problem: string) =>
  new GitlabError(400, { message: `Failed to save group {:${field}=>["${problem}"]}` });

function fullName(store: Store, ns: NamespaceRow): string {
  const parent = ns.parent_id ? findNamespace(store, String(ns.parent_id)) : undefined;
  return parent ? `${fullName(store, parent)} / ${ns.name}` : ns.name;
}

export function groupEntity(store: Store, ns: NamespaceRow, baseUrl: string) {
  return {
    ...namespaceEntity(ns, baseUrl),
    description: ns.description,
    visibility: ns.visibility,
    share_with_group_lock: false,
    require_two_factor_authentication: false,
    project_creation_level: 'developer',
    subgroup_creation_level: 'maintainer',
    lfs_enabled: true,
    default_branch_protection: 2,
    request_access_enabled: true,
    full_name: fullName(store, ns),
    created_at: ns.created_at,
  };
}

export function registerGroupRoutes(server: FastifyInstance, store: Store, baseUrl: () => string) {
  const group = (idOrPath: string) => {
    const ns = findNamespace(store, idOrPath);
    if (!ns || ns.kind !== 'group') throw notFound('Group');
    return ns;
  };

  server.post('/api/v4/groups', async (request, reply) => {
    const caller = requireCaller(store, request);
    const p = { ...(request.query as Params), ...((request.body ?? {}) as Params) };
    const missing = ['name', 'path'].filter((k) => !str(p[k]));
    if (missing.length) throw invalidParams(missing.map((k) => `${k} is missing`).join(', '));
    const parent = str(p.parent_id) ? group(str(p.parent_id)!) : undefined;
    if (!caller.isAdmin && parent) throw forbidden();
    const path = str(p.path)!;
    if (!pathPattern.test(path) || path.length > 255) throw saveFailed('path', 'is invalid');
    const visibility = str(p.visibility) ?? 'private';
    if (!visibilities.includes(visibility)) throw invalidParams('visibility does not have a valid value');
    const fullPath = parent ? `${parent.full_path}/${path}` : path;
    if (findNamespace(store, fullPath)) throw saveFailed('path', 'has already been taken');
    const id = Number(
      store
        .prepare(
          `INSERT INTO namespaces (kind, name, path, full_path, parent_id, visibility, description, created_at)
           VALUES ('group', ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          str(p.name),
          path,
          fullPath,
          parent?.id ?? null,
          visibility,
          str(p.description) ?? '',
          new Date().toISOString(),
        ).lastInsertRowid,
    );
    return reply
      .status(201)
      .send({ ...groupEntity(store, group(String(id)), baseUrl()), projects: [], shared_projects: [] });
  });

  server.get('/api/v4/groups/:id', async (request) => {
    requireCaller(store, request);
    return groupEntity(store, group((request.params as { id: string }).id), baseUrl());
  });

  server.get('/api/v4/namespaces/:id', async (request) => {
    requireCaller(store, request);
    const ns = findNamespace(store, (request.params as { id: string }).id);
    if (!ns) throw notFound('Namespace');
    return namespaceEntity(ns, baseUrl());
  });
}
