import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findCaller, type Caller } from './auth.ts';
import { routeNotFound } from './gitlab-errors.ts';
import { getNamespace, type NamespaceRow } from './namespaces.ts';
import { canAccess, type ProjectRow } from './projects.ts';
import { ensureHttpHooks } from './repositories.ts';
import type { Store } from './store.ts';

const gitRoute = /^\/(.+)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/** Git's Basic auth: GitLab ignores the user name and takes the password as a token. */
function basicCaller(store: Store, request: FastifyRequest): Caller | undefined {
  const encoded = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  return password ? findCaller(store, password) : undefined;
}

/** GitLab's token scopes for git over HTTP: `read_repository` reads, `write_repository` and `api` also push. */
function scopeAllows(caller: Caller | undefined, write: boolean) {
  const scopes = caller?.scopes ?? [];
  if (scopes.length === 0 || scopes.includes('api') || scopes.includes('write_repository')) return true;
  return !write && scopes.includes('read_repository');
}

function challenge(reply: FastifyReply) {
  return reply
    .status(401)
    .header('www-authenticate', 'Basic realm="GitLab"')
    .type('text/plain')
    .send('HTTP Basic: Access denied\n');
}

/** Runs `git http-backend` as GitLab's Workhorse + Gitaly would answer, streaming both ways. */
export interface HookContext {
  internalUrl: () => string;
  secret: string;
}

const hookScript = fileURLToPath(new URL('./pre-receive-hook.mjs', import.meta.url));
const postHookScript = fileURLToPath(new URL('./post-receive-hook.mjs', import.meta.url));

function runHttpBackend(
  request: FastifyRequest,
  reply: FastifyReply,
  o: { root: string; pathInfo: string; user: string; projectId: number; hook: HookContext },
) {
  const url = new URL(request.url, 'http://x');
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: o.root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: o.pathInfo,
      REQUEST_METHOD: request.method,
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: String(request.headers['content-encoding'] ?? ''),
      GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
      REMOTE_USER: o.user,
      REMOTE_ADDR: request.ip,
      GL_HOOK: hookScript,
      GL_POST_HOOK: postHookScript,
      GL_NODE: process.execPath,
      GL_INTERNAL_URL: o.hook.internalUrl(),
      GL_INTERNAL_SECRET: o.hook.secret,
      GL_PROJECT_ID: String(o.projectId),
    },
  });
  reply.hijack();
  const res = reply.raw;
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
    if (end < 0) return;
    const sep = head[end] === 0x0d ? 4 : 2;
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const [name, ...rest] = line.split(':');
      const value = rest.join(':').trim();
      if (name!.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else headers[name!] = value;
    }
    res.writeHead(status, headers);
    headersSent = true;
    res.write(head.subarray(end + sep));
  });
  child.stdout.on('end', () => {
    if (!headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end();
  });
  if (request.method === 'POST') (request.body as Readable).pipe(child.stdin);
  else child.stdin.end();
}

/** GitLab's words for a signed-in user who may not do this, from least to most access. */
function refusal(
  store: Store,
  caller: Caller,
  project: ProjectRow | undefined,
  ns: NamespaceRow | undefined,
) {
  if (!project || !ns || !canAccess(store, caller, project, ns, 'see')) {
    return "The project you were looking for could not be found or you don't have permission to view it.";
  }
  if (!canAccess(store, caller, project, ns, 'read_code'))
    return 'You are not allowed to download code from this project.';
  if (project.archived === 1) return 'You are not allowed to push code to an archived project.';
  return 'You are not allowed to push code to this project.';
}

const refuse = (reply: FastifyReply, message: string) =>
  reply
    .status(message.startsWith('The project') ? 404 : 403)
    .type('text/plain')
    .send(`${message}\n`);

/** Git over smart HTTP at `/<namespace>/<project>.git/…`, with GitLab's access rules. */
export function registerGitHttp(
  server: FastifyInstance,
  store: Store,
  o: {
    dataDir: string;
    findProject: (fullPath: string) => ProjectRow | undefined;
    hook: HookContext;
    /** The web UI's project pages share this catch-all path; answers true when it served one. */
    webPage?: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;
  },
) {
  for (const type of ['application/x-git-upload-pack-request', 'application/x-git-receive-pack-request']) {
    server.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
  }
  server.route({
    method: ['GET', 'POST'],
    url: '/*',
    handler: async (request, reply) => {
      const m = gitRoute.exec(new URL(request.url, 'http://x').pathname);
      if (!m && o.webPage && (await o.webPage(request, reply))) return reply;
      if (!m) {
        const e = routeNotFound();
        return reply.status(e.status).send(e.body);
      }
      const fullPath = decodeURIComponent(m[1]!);
      const service = m[2] === 'info/refs' ? (request.query as { service?: string }).service : m[2];
      if (service !== 'git-upload-pack' && service !== 'git-receive-pack') {
        return reply
          .status(403)
          .type('text/plain')
          .send('Only smart HTTP (git-upload-pack, git-receive-pack) is served.\n');
      }
      const caller = basicCaller(store, request);
      const project = o.findProject(fullPath);
      const ns = project && getNamespace(store, String(project.namespace_id));
      const write = service === 'git-receive-pack';
      if (!project || !ns || !canAccess(store, caller, project, ns, write ? 'write' : 'read_code')) {
        if (!caller) return challenge(reply);
        return refuse(reply, refusal(store, caller, project, ns));
      }
      if (!scopeAllows(caller, write))
        return refuse(
          reply,
          `You are not allowed to ${write ? 'push' : 'download'} code with this token's scopes.`,
        );
      if (project.import_status !== 'none' && project.import_status !== 'finished') {
        // A fork still being copied has no repository yet: clones fail, as on GitLab.
        return reply
          .status(404)
          .type('text/plain')
          .send('The repository for this project does not exist yet.\n');
      }
      const fullRepoPath = `${ns.full_path}/${project.path}`.toLowerCase();
      if (write) await ensureHttpHooks(path.join(o.dataDir, 'repositories', `${fullRepoPath}.git`));
      runHttpBackend(request, reply, {
        root: path.join(o.dataDir, 'repositories'),
        pathInfo: `/${fullRepoPath}.git/${m[2]}`,
        user: String(caller?.userId ?? 0),
        projectId: project.id,
        hook: o.hook,
      });
    },
  });
}
