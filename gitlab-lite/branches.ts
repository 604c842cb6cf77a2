import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { Access, projectAccess } from './access.ts';
import { requireCaller } from './auth.ts';
import { notFound } from './gitlab-errors.ts';
import { getNamespace } from './namespaces.ts';
import { paginate } from './pagination.ts';
import { canAccess, findProjectIn, type ProjectRow } from './projects.ts';
import { matches } from './protected-branches.ts';
import { repositoryPath } from './repositories.ts';
import type { Store } from './store.ts';

const git = promisify(execFile);
const commitFormat = ['%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join('%x00');

/** GitLab's Commit entity (commit/basic.json) read from the bare repository. */
async function commitAt(dir: string, ref: string, webUrl: string) {
  const { stdout } = await git('git', ['-C', dir, 'log', '-1', `--format=${commitFormat}`, ref, '--']);
  const [id, parents, an, ae, ad, cn, ce, cd, message] = stdout.split('\0') as string[];
  return {
    id: id!,
    short_id: id!.slice(0, 8),
    created_at: cd!,
    parent_ids: parents ? parents.split(' ') : [],
    title: message!.split('\n')[0]!,
    message: message!.replace(/\n$/, ''),
    author_name: an!,
    author_email: ae!,
    authored_date: ad!,
    committer_name: cn!,
    committer_email: ce!,
    committed_date: cd!,
    trailers: {},
    extended_trailers: {},
    web_url: `${webUrl}/-/commit/${id}`,
  };
}

export function registerBranchRoutes(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string },
) {
  async function readable(request: Parameters<typeof requireCaller>[1]) {
    const caller = requireCaller(store, request);
    const project = findProjectIn(store, (request.params as { id: string }).id);
    const ns = project && getNamespace(store, String(project.namespace_id));
    if (!project || !ns || !canAccess(store, caller, project, ns, 'read_code')) throw notFound('Project');
    return {
      project,
      fullPath: `${ns.full_path}/${project.path}`,
      level: projectAccess(store, caller, project, ns),
    };
  }

  async function branchEntity(p: { project: ProjectRow; fullPath: string; level: number }, name: string) {
    const rules = store
      .prepare('SELECT * FROM protected_branches WHERE project_id = ?')
      .all(p.project.id) as Array<{
      name: string;
      push_access_level: number;
      merge_access_level: number;
    }>;
    const rule = rules.find((r) => matches(r.name, name));
    const web = `${o.baseUrl()}/${p.fullPath}`;
    return {
      name,
      commit: await commitAt(repositoryPath(o.dataDir, p.fullPath), `refs/heads/${name}`, web),
      merged: false,
      protected: Boolean(rule),
      default: name === p.project.default_branch,
      developers_can_push: !rule || rule.push_access_level === Access.developer,
      developers_can_merge: !rule || rule.merge_access_level === Access.developer,
      can_push: p.level >= (rule ? rule.push_access_level || Infinity : Access.developer),
      web_url: `${web}/-/tree/${encodeURIComponent(name)}`,
    };
  }

  async function branchNames(fullPath: string): Promise<string[]> {
    const { stdout } = await git('git', [
      '-C',
      repositoryPath(o.dataDir, fullPath),
      'for-each-ref',
      '--format=%(refname:lstrip=2)',
      'refs/heads',
    ]);
    return stdout.split('\n').filter(Boolean);
  }

  server.get('/api/v4/projects/:id/repository/branches', async (request, reply) => {
    const p = await readable(request);
    const page = paginate(request, reply, o.baseUrl(), await branchNames(p.fullPath));
    return Promise.all(page.map((name) => branchEntity(p, name)));
  });

  // The branch name arrives URL-encoded (`feature%2Fx`); fastify has already decoded it.
  server.get('/api/v4/projects/:id/repository/branches/:branch', async (request) => {
    const p = await readable(request);
    const name = (request.params as { branch: string }).branch;
    if (!(await branchNames(p.fullPath)).includes(name)) throw notFound('Branch');
    return branchEntity(p, name);
  });
}
