import type { FastifyInstance } from 'fastify';
import { GitlabError } from './gitlab-errors.ts';
import { paginate } from './pagination.ts';
import { commitsAt, gitIn, readableProject, resolveCommit, str, truthy } from './repository-reads.ts';
import type { Store } from './store.ts';

const commitNotFound = () => new GitlabError(404, { message: '404 Commit Not Found' });

/** additions/deletions of one commit against its first parent (or the empty tree for a root commit). */
export async function statsOf(dir: string, sha: string) {
  const out = await gitIn(dir, ['show', '--numstat', '--format=', '--no-renames', sha]);
  let additions = 0;
  let deletions = 0;
  for (const line of out.split('\n')) {
    const [a, d] = line.split('\t');
    if (a && a !== '-') additions += Number(a);
    if (d && d !== '-') deletions += Number(d);
  }
  return { additions, deletions, total: additions + deletions };
}

/** Commits (doc/api/commits.md): the list with its filters, and one commit in detail. */
export function registerRepositoryCommitRoutes(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string },
) {
  server.get('/api/v4/projects/:id/repository/commits', async (request, reply) => {
    const p = readableProject(store, request, o);
    const q = request.query as Record<string, unknown>;
    const args: string[] = [];
    if (truthy(q.all)) args.push('--all');
    else {
      const sha = await resolveCommit(p.dir, str(q.ref_name) ?? p.project.default_branch);
      // GitLab lists nothing for a ref that does not exist.
      if (!sha) return paginate(request, reply, o.baseUrl(), []);
      args.push(sha);
    }
    if (truthy(q.first_parent)) args.push('--first-parent');
    for (const [key, flag] of [
      ['since', '--since'],
      ['until', '--until'],
      ['author', '--author'],
    ] as const) {
      const value = str(q[key]);
      if (value) args.push(`${flag}=${value}`);
    }
    const path = str(q.path);
    const commits = await commitsAt(p.dir, [...args, '--', ...(path ? [path] : [])], p.webUrl);
    const page = paginate(request, reply, o.baseUrl(), commits);
    if (!truthy(q.with_stats)) return page;
    return Promise.all(page.map(async (c) => ({ ...c, stats: await statsOf(p.dir, c.id) })));
  });

  server.get('/api/v4/projects/:id/repository/commits/:sha', async (request) => {
    const p = readableProject(store, request, o);
    const sha = await resolveCommit(p.dir, (request.params as { sha: string }).sha);
    if (!sha) throw commitNotFound();
    const [commit] = await commitsAt(p.dir, ['-1', sha, '--'], p.webUrl);
    const withStats = str((request.query as Record<string, unknown>).stats) !== 'false';
    return {
      ...commit!,
      ...(withStats ? { stats: await statsOf(p.dir, sha) } : {}),
      status: null,
      project_id: p.project.id,
      last_pipeline: null,
    };
  });
}
