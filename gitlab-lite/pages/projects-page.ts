import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Access, projectAccess } from '../access.ts';
import type { Caller } from '../auth.ts';
import { getNamespace } from '../namespaces.ts';
import { canAccess, type ProjectRow } from '../projects.ts';
import type { Store } from '../store.ts';
import type { DocumentRenderer } from './document-renderer.ts';
import { escapeHtml, pageContext, sendPage, signInFirst } from './page-layout.ts';
import { encodePath, withQuery } from './page-links.ts';
import { formatDate } from './page-texts.ts';

const perPage = 20;

/**
 * The projects of the person signed in ("Your projects": those they are a member of and may read;
 * every project for an administrator), most recently active first, each a link to its page.
 */
export function registerProjectsPage(
  server: FastifyInstance,
  store: Store,
  o: { renderer: DocumentRenderer | undefined },
) {
  async function projectsPage(request: FastifyRequest, reply: FastifyReply) {
    const c = pageContext(store, request, reply, o.renderer);
    if (!c.user) return signInFirst(reply, request.url);
    const { t, locale } = c;
    const caller: Caller = { userId: c.user.id, isAdmin: c.user.is_admin === 1, scopes: ['api'] };
    const member: Caller = { ...caller, isAdmin: false };
    const rows = (
      store.prepare('SELECT * FROM projects ORDER BY last_activity_at DESC, id DESC').all() as ProjectRow[]
    )
      .map((p) => ({ p, ns: getNamespace(store, String(p.namespace_id)) }))
      .filter(
        ({ p, ns }) =>
          canAccess(store, caller, p, ns, 'read_code') &&
          (caller.isAdmin || projectAccess(store, member, p, ns) >= Access.guest),
      );
    const pages = Math.max(1, Math.ceil(rows.length / perPage));
    const q = (request.query ?? {}) as { page?: unknown };
    const page = Math.min(pages, Math.max(1, Number.parseInt(String(q.page ?? '1'), 10) || 1));
    const items = rows.slice((page - 1) * perPage, page * perPage).map(({ p, ns }) => {
      const full = `${ns.full_path}/${p.path}`;
      const description = p.description ? `<span class="meta">${escapeHtml(p.description)}</span>` : '';
      return `<li data-path="${escapeHtml(full)}"><a class="title" href="${escapeHtml(`/${encodePath(full)}`)}">${escapeHtml(`${ns.full_path} / ${p.name}`)}</a><span class="badge">${escapeHtml(t.visibility[p.visibility] ?? p.visibility)}</span><span class="meta">${escapeHtml(t.updated(formatDate(p.last_activity_at, locale)))}</span>${description}</li>`;
    });
    const link = (n: number, text: string, rel: string) =>
      `<a href="${escapeHtml(withQuery(c.url, 'page', String(n)))}" rel="${rel}">${escapeHtml(text)}</a>`;
    const pager =
      pages > 1
        ? `<nav class="pager">${page > 1 ? link(page - 1, '←', 'prev') : ''}<span class="muted">${escapeHtml(t.page(page))}</span>${page < pages ? link(page + 1, '→', 'next') : ''}</nav>`
        : '';
    const list = items.length
      ? `<div class="box"><ul class="projects" data-testid="projects">${items.join('')}</ul></div>${pager}`
      : `<p class="muted" data-testid="no-projects">${escapeHtml(t.noProjects)}</p>`;
    return sendPage(reply, c, { title: t.projects, body: `<h1>${escapeHtml(t.yourProjects)}</h1>${list}` });
  }
  // GitLab's root shows the signed-in person's projects; its "Projects" link is /dashboard/projects.
  server.get('/', projectsPage);
  server.get('/dashboard/projects', projectsPage);
}
