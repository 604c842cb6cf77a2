import { spawn } from 'node:child_process';
import { createGzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GitlabError, notFound } from './gitlab-errors.ts';
import { readableProject, resolveCommit, str } from './repository-reads.ts';
import type { Store } from './store.ts';

const formats: Record<string, { git: 'tar' | 'zip'; gzip: boolean; type: string }> = {
  'tar.gz': { git: 'tar', gzip: true, type: 'application/gzip' },
  tgz: { git: 'tar', gzip: true, type: 'application/gzip' },
  tar: { git: 'tar', gzip: false, type: 'application/x-tar' },
  zip: { git: 'zip', gzip: false, type: 'application/zip' },
};

/** `GET …/repository/archive[.format]`: `git archive` streamed, named `<project>-<ref>-<sha>` as GitLab does. */
export function registerRepositoryArchiveRoutes(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string },
) {
  const handler = async (request: FastifyRequest, reply: FastifyReply, formatName: string) => {
    const format = formats[formatName];
    if (!format) throw new GitlabError(404, { error: '404 Not Found' });
    const p = readableProject(store, request, o);
    const q = request.query as Record<string, unknown>;
    const ref = str(q.sha) ?? p.project.default_branch;
    const sha = await resolveCommit(p.dir, ref);
    if (!sha) throw notFound('Ref');
    const name = `${p.project.path}-${ref.replace(/[^A-Za-z0-9_.-]+/g, '-')}-${sha}`;
    const path = str(q.path)?.replace(/^\/+/, '');
    const args = [
      '--literal-pathspecs',
      '-C',
      p.dir,
      'archive',
      `--format=${format.git}`,
      `--prefix=${name}/`,
      sha,
    ];
    const child = spawn('git', path ? [...args, '--', path] : args, { stdio: ['ignore', 'pipe', 'ignore'] });
    reply.type(format.type).header('content-disposition', `attachment; filename="${name}.${formatName}"`);
    return reply.send(format.gzip ? child.stdout.pipe(createGzip()) : child.stdout);
  };

  server.get('/api/v4/projects/:id/repository/archive', (request, reply) =>
    handler(request, reply, 'tar.gz'),
  );
  server.get('/api/v4/projects/:id/repository/archive.:format', (request, reply) =>
    handler(request, reply, (request.params as { format: string }).format),
  );
}
