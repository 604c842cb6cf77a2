import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Access } from './access.ts';
import { isBranchName } from './git-names.ts';
import { forbidden, GitlabError, invalidParams, notFound } from './gitlab-errors.ts';
import { paginate } from './pagination.ts';
import { matches } from './protected-branches.ts';
import { repositoryPath } from './repositories.ts';
import { commitAt, readableProject, resolveCommit, type ReadableProject } from './repository-reads.ts';
import type { Store } from './store.ts';

const git = promisify(execFile);

export function registerBranchRoutes(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string },
) {
  const readable = async (request: FastifyRequest) => readableProject(store, request, o);

  async function branchEntity(p: ReadableProject, name: string) {
    const rules = store
      .prepare('SELECT * FROM protected_branches WHERE project_id = ?')
      .all(p.project.id) as Array<{
      name: string;
      push_access_level: number;
      merge_access_level: number;
    }>;
    const rule = rules.find((r) => matches(r.name, name));
    const web = p.webUrl;
    return {
      name,
      commit: await commitAt(p.dir, `refs/heads/${name}`, web),
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

  // Developers create branches from any ref (doc/api/branches.md).
  server.post('/api/v4/projects/:id/repository/branches', async (request, reply) => {
    const p = await readable(request);
    const q = {
      ...(request.query as Record<string, unknown>),
      ...((request.body ?? {}) as Record<string, unknown>),
    };
    const branch = typeof q.branch === 'string' ? q.branch : undefined;
    const ref = typeof q.ref === 'string' ? q.ref : undefined;
    const missing = [!branch && 'branch is missing', !ref && 'ref is missing'].filter(Boolean);
    if (missing.length) throw invalidParams(missing.join(', '));
    if (p.level < Access.developer || p.project.archived === 1) throw forbidden();
    const dir = p.dir;
    if (!isBranchName(branch!)) throw new GitlabError(400, { message: 'Branch name is invalid' });
    if ((await branchNames(p.fullPath)).includes(branch!))
      throw new GitlabError(400, { message: 'Branch already exists' });
    const sha = await resolveCommit(dir, ref!);
    if (!sha) throw new GitlabError(400, { message: 'Invalid reference name: ' + ref });
    await git('git', ['-C', dir, 'update-ref', `refs/heads/${branch}`, sha, '']);
    return reply.status(201).send(await branchEntity(p, branch!));
  });
}
