import type { FastifyInstance } from 'fastify';
import { GitlabError, notFound } from './gitlab-errors.ts';
import { paginate } from './pagination.ts';
import { gitIn, readableProject, resolveCommit, str, truthy } from './repository-reads.ts';
import type { Store } from './store.ts';

const treeNotFound = () => new GitlabError(404, { message: '404 Tree Not Found' });

/** `GET …/repository/tree`: [{id, name, type, path, mode}], offset-paginated like GitLab's. */
export function registerRepositoryTreeRoutes(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string },
) {
  server.get('/api/v4/projects/:id/repository/tree', async (request, reply) => {
    const p = readableProject(store, request, o);
    const q = request.query as Record<string, unknown>;
    const sha = await resolveCommit(p.dir, str(q.ref) ?? p.project.default_branch);
    if (!sha) throw notFound('Tree');
    const dir = (str(q.path) ?? '').replace(/^\/+|\/+$/g, '');
    if (dir.split('/').includes('..')) throw treeNotFound();
    const args = ['ls-tree', '-z', ...(truthy(q.recursive) ? ['-r', '-t'] : []), sha];
    const out = await gitIn(p.dir, dir ? [...args, '--', `${dir}/`] : args);
    const entries = out
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta, path] = line.split('\t') as [string, string];
        const [mode, type, id] = meta.split(' ') as [string, string, string];
        return { id, name: path.split('/').pop()!, type, path, mode };
      });
    if (dir && entries.length === 0) throw treeNotFound();
    return paginate(request, reply, o.baseUrl(), entries);
  });
}
