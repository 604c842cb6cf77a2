import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getNamespace } from './namespaces.ts';
import { canAccess, findProjectIn } from './projects.ts';
import { blobAt, gitIn, resolveCommit } from './repository-reads.ts';
import { repositoryPath } from './repositories.ts';
import type { Store } from './store.ts';
import { endWebSession, webUser, type WebUser } from './web-session.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function htmlPage(title: string, body: string, user?: WebUser) {
  const who = user
    ? `<p>Signed in as <strong data-testid="signed-in-as">@${escapeHtml(user.username)}</strong> · <a href="/users/sign_out">Sign out</a></p>`
    : '';
  return `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)} · GitLab</title>${who}\n${body}\n`;
}

const notFound = (reply: FastifyReply, user: WebUser | undefined) =>
  reply
    .status(404)
    .type('text/html; charset=utf-8')
    .send(
      htmlPage(
        'Page Not Found',
        '<h1 data-testid="not-found">404: Page not found</h1><p>Make sure the address is correct and the page has not moved.</p>',
        user,
      ),
    );

/**
 * The bits of GitLab's web UI a learner meets after "Open in GitLab": sign-in (straight to the OIDC
 * provider when auto sign-in is on), the dashboard, a project page and a file page — private
 * projects shown to their members only (others get GitLab's 404).
 */
export function registerWebPages(
  server: FastifyInstance,
  store: Store,
  o: { dataDir: string; autoSignIn: () => boolean; providers: () => Array<{ name: string; label: string }> },
) {
  server.get('/users/sign_in', async (request, reply) => {
    const q = request.query as { auto_sign_in?: string; redirect_to?: string };
    const returnTo = q.redirect_to ? `?redirect_to=${encodeURIComponent(q.redirect_to)}` : '';
    if (o.autoSignIn() && q.auto_sign_in !== 'false')
      return reply.redirect(`/users/auth/openid_connect${returnTo}`, 302);
    const buttons = o
      .providers()
      .map(
        (p) =>
          `<form action="/users/auth/${encodeURIComponent(p.name)}${returnTo}" method="post"><button type="submit" data-testid="${escapeHtml(p.name)}-login-button">${escapeHtml(p.label)}</button></form>`,
      )
      .join('\n');
    return reply.type('text/html; charset=utf-8').send(htmlPage('Sign in', `<h1>GitLab</h1>\n${buttons}`));
  });

  server.get('/users/sign_out', async (request, reply) => {
    endWebSession(store, request, reply);
    return reply.redirect('/users/sign_in?auto_sign_in=false', 302);
  });

  server.get('/', async (request, reply) => {
    const user = webUser(store, request);
    if (!user) return reply.redirect('/users/sign_in?redirect_to=%2F', 302);
    return reply.type('text/html; charset=utf-8').send(htmlPage('Projects', '<h1>Projects</h1>', user));
  });

  /** A project or file page for `/<namespace>/<project>[/-/blob/<ref>/<path>]`; false when the path is not one. */
  return async function projectPage(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (request.method !== 'GET') return false;
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const [projectPart, rest] = path.split('/-/', 2) as [string, string | undefined];
    const project = findProjectIn(store, projectPart.replace(/^\/|\/$/g, ''));
    if (!project) return false;
    const user = webUser(store, request);
    if (!user) {
      await reply.redirect(`/users/sign_in?redirect_to=${encodeURIComponent(request.url)}`, 302);
      return true;
    }
    const ns = getNamespace(store, String(project.namespace_id));
    const caller = { userId: user.id, isAdmin: user.is_admin === 1, scopes: ['api'] };
    if (!canAccess(store, caller, project, ns, 'read_code')) {
      await notFound(reply, user);
      return true;
    }
    const fullPath = `${ns.full_path}/${project.path}`;
    const dir = repositoryPath(o.dataDir, fullPath);
    const blob = rest ? /^blob\/([^/]+)\/(.+)$/.exec(rest) : undefined;
    let body = `<h1 data-testid="project-name">${escapeHtml(project.name)}</h1><p>${escapeHtml(fullPath)}</p>`;
    if (blob) {
      // The ref and path are the visitor's: resolved and listed, never handed to git as they came.
      const sha = await resolveCommit(dir, blob[1]!);
      const file = sha && (await blobAt(dir, sha, blob[2]!).catch(() => undefined));
      if (!file) {
        await notFound(reply, user);
        return true;
      }
      body += `<h2 data-testid="file-path">${escapeHtml(blob[2]!)}</h2><pre data-testid="file-content">${escapeHtml(file.content.toString('utf8'))}</pre>`;
    } else {
      const files = await gitIn(dir, ['ls-tree', '--name-only', 'HEAD']).catch(() => '');
      body += `<ul data-testid="files">${files
        .split('\n')
        .filter(Boolean)
        .map((f) => `<li>${escapeHtml(f)}</li>`)
        .join('')}</ul>`;
    }
    await reply.type('text/html; charset=utf-8').send(htmlPage(project.name, body, user));
    return true;
  };
}
