import type { FastifyInstance } from 'fastify';
import { namespaceAccess } from './access.ts';
import { findNamespace, type NamespaceRow } from './namespaces.ts';
import { canAccess, type ProjectRow } from './projects.ts';
import type { Store } from './store.ts';
import { htmlPage } from './web-pages.ts';
import { webUser } from './web-session.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A group's page, `/groups/<full path>` (the `web_url` GitLab gives groups): its projects and those of
 * its subgroups that the visitor can read. A teacher's "Open in GitLab" lands here; a group the visitor
 * is no member of is GitLab's 404.
 */
export function registerGroupPages(server: FastifyInstance, store: Store) {
  server.get('/groups/*', async (request, reply) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname).replace(
      /^\/groups\/|\/$/g,
      '',
    );
    const user = webUser(store, request);
    if (!user) return reply.redirect(`/users/sign_in?redirect_to=${encodeURIComponent(request.url)}`, 302);
    const group = findNamespace(store, path);
    const caller = { userId: user.id, isAdmin: user.is_admin === 1, scopes: ['api'] };
    if (!group || group.kind !== 'group' || (!caller.isAdmin && namespaceAccess(store, user.id, group) < 10))
      return reply
        .status(404)
        .type('text/html; charset=utf-8')
        .send(htmlPage('Page Not Found', '<h1 data-testid="not-found">404: Page not found</h1>', user));
    const namespaces = store
      .prepare(`SELECT * FROM namespaces WHERE full_path = ? COLLATE NOCASE OR full_path LIKE ? ESCAPE '\\'`)
      .all(group.full_path, `${group.full_path.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`) as NamespaceRow[];
    const byId = new Map(namespaces.map((n) => [n.id, n]));
    const projects = (
      store
        .prepare(
          `SELECT * FROM projects WHERE namespace_id IN (${namespaces.map(() => '?').join(',')}) ORDER BY id`,
        )
        .all(...namespaces.map((n) => n.id)) as ProjectRow[]
    ).filter((p) => canAccess(store, caller, p, byId.get(p.namespace_id)!, 'read_code'));
    const items = projects
      .map((p) => {
        const full = `${byId.get(p.namespace_id)!.full_path}/${p.path}`;
        return `<li><a href="/${escapeHtml(full)}">${escapeHtml(full)}</a></li>`;
      })
      .join('');
    const body = `<h1 data-testid="group-name">${escapeHtml(group.name)}</h1><p>${escapeHtml(group.full_path)}</p><ul data-testid="group-projects">${items}</ul>`;
    return reply.type('text/html; charset=utf-8').send(htmlPage(group.name, body, user));
  });
}
