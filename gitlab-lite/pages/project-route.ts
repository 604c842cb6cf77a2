import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../auth.ts';
import { findNamespace } from '../namespaces.ts';
import { canAccess, findProjectIn } from '../projects.ts';
import { repositoryPath } from '../repositories.ts';
import { resolveCommit } from '../repository-reads.ts';
import type { Store } from '../store.ts';
import { sendBlobPage, sendRaw } from './blob-page.ts';
import { sendCommitPage } from './commit-page.ts';
import type { DocumentRenderer } from './document-renderer.ts';
import { sendHistoryPage } from './history-page.ts';
import { pageContext, sendNotFound, signInFirst, type PageContext } from './page-layout.ts';
import { projectLinks } from './page-links.ts';
import type { ProjectPage } from './project-frame.ts';
import { splitRefPath } from './repo-browse.ts';
import { sendProjectHome, sendTreePage } from './tree-page.ts';

/** First parts of an address that are GitLab's own routes, never a namespace. */
const reserved = new Set([
  'api',
  'users',
  'groups',
  'dashboard',
  '-',
  'oauth',
  'assets',
  'help',
  'admin',
  'explore',
  'uploads',
  '.well-known',
]);
const actions = new Set(['tree', 'blob', 'raw', 'commits', 'commit']);

/** `/<namespace…>/<project>[/-/<action>/<rest…>]`, each part decoded; undefined if not shaped so. */
export function parseProjectAddress(url: string) {
  let parts: string[];
  try {
    parts = new URL(url, 'http://x').pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined; // a malformed %-escape
  }
  while (parts.length && parts.at(-1) === '') parts.pop();
  const cut = parts.indexOf('-');
  const project = cut < 0 ? parts : parts.slice(0, cut);
  if (project.length < 2 || reserved.has(project[0]!) || project.some((p) => p === '')) return undefined;
  const after = cut < 0 ? [] : parts.slice(cut + 1);
  return { projectPath: project.join('/'), action: after[0], rest: after.slice(1) };
}

/** The project at `path` if this visitor may read its code (the API's rule), else undefined. */
function readable(store: Store, dataDir: string, path: string, c: PageContext) {
  const project = findProjectIn(store, path);
  const ns = project && findNamespace(store, String(project.namespace_id));
  const caller: Caller | undefined = c.user && {
    userId: c.user.id,
    isAdmin: c.user.is_admin === 1,
    scopes: ['api'],
  };
  if (!project || !ns || !canAccess(store, caller, project, ns, 'read_code')) return undefined;
  const fullPath = `${ns.full_path}/${project.path}`;
  return { project, ns, fullPath, dir: repositoryPath(dataDir, fullPath), links: projectLinks(fullPath) };
}

async function dispatch(
  p: ProjectPage,
  request: FastifyRequest,
  reply: FastifyReply,
  a: { action?: string; rest: string[] },
) {
  const q = (request.query ?? {}) as Record<string, unknown>;
  if (a.action === undefined) return sendProjectHome(p, reply);
  if (!actions.has(a.action)) return sendNotFound(reply, p.c);
  if (a.action === 'commit') {
    const sha = a.rest.length === 1 ? await resolveCommit(p.dir, a.rest[0]!) : undefined;
    return sha ? sendCommitPage(p, reply, sha) : sendNotFound(reply, p.c);
  }
  const parts = a.rest.length ? a.rest : a.action === 'commits' ? [p.project.default_branch] : [];
  const at = await splitRefPath(p.dir, parts);
  if (!at) return sendNotFound(reply, p.c);
  switch (a.action) {
    case 'tree':
      return sendTreePage(p, reply, at);
    case 'commits':
      return sendHistoryPage(p, reply, at, q.page);
    case 'blob':
      return sendBlobPage(p, reply, at, q.plain === '1' || q.plain === 'true');
    default:
      return sendRaw(p, reply, at, q.inline !== 'false');
  }
}

/**
 * The project pages at GitLab's addresses; false for an address that is not one. What the visitor may not
 * read is the 404 of what does not exist (or the sign-in, signed out), as on GitLab.
 */
export function createProjectPages(
  store: Store,
  o: { dataDir: string; renderer: DocumentRenderer | undefined },
) {
  return async function projectPage(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const address = parseProjectAddress(request.url);
    if (!address) return false;
    const c = pageContext(store, request, reply, o.renderer);
    const found = readable(store, o.dataDir, address.projectPath, c);
    if (!found) {
      await (c.user ? sendNotFound(reply, c) : signInFirst(reply, request.url));
      return true;
    }
    await dispatch({ ...found, c }, request, reply, address);
    return true;
  };
}
