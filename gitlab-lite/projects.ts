import { rm } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { Access, namespaceAccess, projectAccess } from './access.ts';
import { requireCaller, type Caller } from './auth.ts';
import { isBranchName } from './git-names.ts';
import { forbidden, invalidParams, notFound, validationFailed } from './gitlab-errors.ts';
import { findNamespace, getNamespace, namespaceEntity, type NamespaceRow } from './namespaces.ts';
import { commitReadme, createBareRepository, repositoryIsEmpty, repositoryPath } from './repositories.ts';
import type { Store } from './store.ts';

export interface ProjectRow {
  id: number;
  namespace_id: number;
  name: string;
  path: string;
  description: string | null;
  visibility: string;
  default_branch: string;
  creator_id: number;
  created_at: string;
  last_activity_at: string;
  forked_from_id: number | null;
  import_status: string;
  import_error: string | null;
  /** 1 once archived: read-only for everyone (POST /projects/:id/archive). */
  archived: number;
}

type Params = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const truthy = (v: unknown) => v === true || v === 'true' || v === 1 || v === '1';
const pathPattern = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*(?<!\.|\.git|\.atom)$/;
// What GitLab's `parameterize` does to a name to make a path.
const pathFromName = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');

/** `:id` of a project: its number, or its full path (`course/2026/template`). */
export function findProjectIn(store: Store, idOrPath: string): ProjectRow | undefined {
  if (/^\d+$/.test(idOrPath)) {
    return store.prepare('SELECT * FROM projects WHERE id = ?').get(Number(idOrPath)) as
      ProjectRow | undefined;
  }
  const cut = idOrPath.lastIndexOf('/');
  const ns = cut > 0 ? findNamespace(store, idOrPath.slice(0, cut)) : undefined;
  if (!ns) return undefined;
  return store
    .prepare('SELECT * FROM projects WHERE namespace_id = ? AND path = ? COLLATE NOCASE')
    .get(ns.id, idOrPath.slice(cut + 1)) as ProjectRow | undefined;
}

/** GitLab's instance default (default_branch_protection 2): only Maintainers push to the default branch. */
export function protectDefaultBranch(store: Store, projectId: number, branch: string) {
  store
    .prepare(
      `INSERT OR IGNORE INTO protected_branches (project_id, name, push_access_level, merge_access_level, unprotect_access_level)
       VALUES (?, ?, 40, 40, 40)`,
    )
    .run(projectId, branch);
}

export type ProjectNeed = 'see' | 'read_code' | 'write';
const needed: Record<ProjectNeed, number> = {
  see: Access.guest,
  read_code: Access.reporter,
  write: Access.developer,
};

/** Guests see a private project, Reporters read its code, Developers push (to unprotected branches). */
export function canAccess(
  store: Store,
  caller: Caller | undefined,
  project: ProjectRow,
  ns: NamespaceRow,
  need: ProjectNeed,
) {
  if (need !== 'write' && project.visibility === 'public') return true;
  if (need === 'write' && project.archived === 1) return false;
  return projectAccess(store, caller, project, ns) >= needed[need];
}

export function projectEntities(store: Store, o: { baseUrl: () => string; dataDir: string }) {
  const { baseUrl } = o;
  const simple = (p: ProjectRow) => {
    const ns = getNamespace(store, String(p.namespace_id));
    const web = `${baseUrl()}/${ns.full_path}/${p.path}`;
    const nsFullName = ns.kind === 'user' ? ns.name : ns.full_path.split('/').join(' / ');
    return {
      id: p.id,
      description: p.description,
      name: p.name,
      name_with_namespace: `${nsFullName} / ${p.name}`,
      path: p.path,
      path_with_namespace: `${ns.full_path}/${p.path}`,
      created_at: p.created_at,
      default_branch: p.default_branch,
      tag_list: [],
      topics: [],
      ssh_url_to_repo: `git@${new URL(baseUrl()).hostname}:${ns.full_path}/${p.path}.git`,
      http_url_to_repo: `${web}.git`,
      web_url: web,
      readme_url: null,
      avatar_url: null,
      forks_count: (
        store.prepare('SELECT COUNT(*) AS n FROM projects WHERE forked_from_id = ?').get(p.id) as {
          n: number;
        }
      ).n,
      star_count: 0,
      last_activity_at: p.last_activity_at,
      visibility: p.visibility,
      namespace: namespaceEntity(ns, baseUrl()),
    };
  };
  const full = (p: ProjectRow) => {
    const parent = p.forked_from_id ? findProjectIn(store, String(p.forked_from_id)) : undefined;
    return {
      ...simple(p),
      empty_repo: repositoryIsEmpty(
        repositoryPath(o.dataDir, `${getNamespace(store, String(p.namespace_id)).full_path}/${p.path}`),
      ),
      archived: p.archived === 1,
      creator_id: p.creator_id,
      import_status: p.import_status,
      import_error: p.import_error,
      open_issues_count: 0,
      ...(parent ? { forked_from_project: simple(parent) } : {}),
    };
  };
  return { simple, full };
}

export function registerProjectRoutes(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string },
) {
  const entities = projectEntities(store, o);

  const findProject = (idOrPath: string) => findProjectIn(store, idOrPath);

  server.post('/api/v4/projects', async (request, reply) => {
    const caller = requireCaller(store, request);
    const p = { ...(request.query as Params), ...((request.body ?? {}) as Params) };
    if (!str(p.name) && !str(p.path)) {
      throw invalidParams('name, path are missing, at least one parameter must be provided');
    }
    const name = str(p.name) ?? str(p.path)!;
    const path = str(p.path) ?? pathFromName(name);
    if (!path || !pathPattern.test(path) || path.length > 255) {
      throw validationFailed({
        path: [
          "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-', end in '.git' or end in '.atom'",
        ],
      });
    }
    const branch = str(p.default_branch) ?? 'main';
    if (!isBranchName(branch)) throw invalidParams('default_branch is invalid');
    const ns = str(p.namespace_id)
      ? getNamespace(store, str(p.namespace_id)!)
      : (store
          .prepare("SELECT * FROM namespaces WHERE kind = 'user' AND owner_id = ?")
          .get(caller.userId) as NamespaceRow);
    // Creating in a group takes Developer there (GitLab's default project_creation_level).
    if (!caller.isAdmin && namespaceAccess(store, caller.userId, ns) < Access.developer) throw forbidden();
    const taken: Record<string, string[]> = {};
    if (
      store
        .prepare('SELECT 1 FROM projects WHERE namespace_id = ? AND name = ? COLLATE NOCASE')
        .get(ns.id, name)
    ) {
      taken.name = ['has already been taken'];
    }
    if (
      store
        .prepare('SELECT 1 FROM projects WHERE namespace_id = ? AND path = ? COLLATE NOCASE')
        .get(ns.id, path)
    ) {
      taken.path = ['has already been taken'];
    }
    if (Object.keys(taken).length) throw validationFailed(taken);
    const t = new Date().toISOString();
    const dir = repositoryPath(o.dataDir, `${ns.full_path}/${path}`);
    await createBareRepository(dir, branch);
    if (truthy(p.initialize_with_readme)) {
      const author = store.prepare('SELECT name, email FROM users WHERE id = ?').get(caller.userId) as {
        name: string;
        email: string;
      };
      await commitReadme(dir, { branch, title: name, author: author.name, email: author.email });
    }
    const id = Number(
      store
        .prepare(
          `INSERT INTO projects (namespace_id, name, path, description, visibility, default_branch, creator_id, created_at, last_activity_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          ns.id,
          name,
          path,
          str(p.description) ?? null,
          str(p.visibility) ?? 'private',
          branch,
          caller.userId,
          t,
          t,
        ).lastInsertRowid,
    );
    protectDefaultBranch(store, id, branch);
    return reply.status(201).send(entities.full(findProject(String(id))!));
  });

  server.get('/api/v4/projects/:id', async (request) => {
    const caller = requireCaller(store, request);
    const project = findProject((request.params as { id: string }).id);
    const ns = project && getNamespace(store, String(project.namespace_id));
    // Projects you cannot see are 404, never 403 (GitLab does not confirm they exist).
    if (!project || !ns || !canAccess(store, caller, project, ns, 'see')) throw notFound('Project');
    return entities.full(project);
  });

  // GitLab answers 202 and deletes in the background; here it is done before answering, path freed.
  server.delete('/api/v4/projects/:id', async (request, reply) => {
    const caller = requireCaller(store, request);
    const project = findProject((request.params as { id: string }).id);
    const ns = project && getNamespace(store, String(project.namespace_id));
    if (!project || !ns || !canAccess(store, caller, project, ns, 'see')) throw notFound('Project');
    if (projectAccess(store, caller, project, ns) < Access.owner) throw forbidden();
    store.transaction(() => {
      store.prepare(`DELETE FROM members WHERE source_type = 'project' AND source_id = ?`).run(project.id);
      store.prepare('DELETE FROM projects WHERE id = ?').run(project.id);
    })();
    await rm(repositoryPath(o.dataDir, `${ns.full_path}/${project.path}`), { recursive: true, force: true });
    return reply.status(202).send({ message: '202 Accepted' });
  });
}
