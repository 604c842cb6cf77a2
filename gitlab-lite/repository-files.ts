import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidParams, notFound } from './gitlab-errors.ts';
import { blobAt, gitIn, readableProject, resolveCommit, str } from './repository-reads.ts';
import type { Store } from './store.ts';

type Options = { baseUrl: () => string; dataDir: string };

/** The blob at `path` in commit `sha`: GitLab's file entity fields, content as bytes. */
async function readFile(dir: string, sha: string, path: string, ref: string) {
  const blob = await blobAt(dir, sha, path);
  if (!blob) throw notFound('File');
  const { mode, id: blobId, content } = blob;
  const lastCommit = (
    await gitIn(dir, ['log', '-1', '--format=%H', '--end-of-options', sha, '--', path])
  ).trim();
  return {
    file_name: path.split('/').pop()!,
    file_path: path,
    size: content.length,
    encoding: 'base64',
    content_sha256: createHash('sha256').update(content).digest('hex'),
    ref,
    blob_id: blobId,
    commit_id: sha,
    last_commit_id: lastCommit,
    execute_filemode: mode === '100755',
    content,
  };
}

type FileEntity = Awaited<ReturnType<typeof readFile>>;

function metadataHeaders(reply: FastifyReply, f: FileEntity) {
  reply.headers({
    'x-gitlab-blob-id': f.blob_id,
    'x-gitlab-commit-id': f.commit_id,
    'x-gitlab-content-sha256': f.content_sha256,
    'x-gitlab-encoding': f.encoding,
    'x-gitlab-file-name': encodeURIComponent(f.file_name),
    'x-gitlab-file-path': encodeURIComponent(f.file_path),
    'x-gitlab-last-commit-id': f.last_commit_id,
    'x-gitlab-ref': encodeURIComponent(f.ref),
    'x-gitlab-size': String(f.size),
    'x-gitlab-execute-filemode': String(f.execute_filemode),
  });
}

/** Repository files (doc/api/repository_files.md): metadata + base64 content, HEAD, and raw. */
export function registerRepositoryFileRoutes(server: FastifyInstance, store: Store, o: Options) {
  // The file path arrives URL-encoded as one segment (`src%2Fmain.py`); fastify hands it over decoded.
  async function lookup(request: FastifyRequest, refRequired: boolean) {
    const p = readableProject(store, request, o);
    const ref = str((request.query as Record<string, unknown>).ref);
    if (refRequired && !ref) throw invalidParams('ref is missing');
    const name = ref ?? p.project.default_branch;
    const sha = await resolveCommit(p.dir, name);
    if (!sha) throw notFound(refRequired ? 'Commit' : 'File');
    return readFile(p.dir, sha, (request.params as { file_path: string }).file_path, name);
  }

  // Its own HEAD below answers with the X-Gitlab-* headers, as GitLab's does.
  server.get(
    '/api/v4/projects/:id/repository/files/:file_path',
    { exposeHeadRoute: false },
    async (request) => {
      const { content, ...file } = await lookup(request, true);
      return { ...file, content: content.toString('base64') };
    },
  );

  server.head('/api/v4/projects/:id/repository/files/:file_path', async (request, reply) => {
    metadataHeaders(reply, await lookup(request, true));
    return reply.status(200).send();
  });

  server.get('/api/v4/projects/:id/repository/files/:file_path/raw', async (request, reply) => {
    const file = await lookup(request, false);
    metadataHeaders(reply, file);
    const text = !file.content.subarray(0, 8000).includes(0);
    return reply
      .type(text ? 'text/plain; charset=utf-8' : 'application/octet-stream')
      .header('content-disposition', `inline; filename="${file.file_name.replace(/"/g, '')}"`)
      .send(file.content);
  });
}
