import type { FastifyReply } from 'fastify';
import type { CommitEntity } from '../repository-reads.ts';
import { escapeHtml, sendPage } from './page-layout.ts';
import { withQuery } from './page-links.ts';
import { formatDate } from './page-texts.ts';
import { pathCrumbs, projectHead, type ProjectPage } from './project-frame.ts';
import { historyPage } from './repo-browse.ts';

/** GitLab shows 40 commits a page. */
const perPage = 40;

/** One commit in a list: its title (to the commit's page), author, date and short sha. */
export function commitLine(p: ProjectPage, c: CommitEntity, tag: 'li' | 'div' = 'li'): string {
  const href = escapeHtml(p.links.commit(c.id));
  return `<${tag} class="commit" data-sha="${c.id}"><a class="title" href="${href}">${escapeHtml(c.title)}</a><span class="meta"><strong>${escapeHtml(c.author_name)}</strong> · <time datetime="${escapeHtml(c.authored_date)}">${escapeHtml(formatDate(c.authored_date, p.c.locale))}</time></span><a class="sha" href="${href}">${c.short_id}</a></${tag}>`;
}

/** `/-/commits/<ref>[/<path>]`: the history, newest first, a page at a time. */
export async function sendHistoryPage(
  p: ProjectPage,
  reply: FastifyReply,
  at: { ref: string; sha: string; path: string },
  pageParam: unknown,
) {
  const { t } = p.c;
  const page = Math.min(10_000, Math.max(1, Number.parseInt(String(pageParam ?? '1'), 10) || 1));
  const { commits, more } = await historyPage(p.dir, at.sha, {
    page,
    perPage,
    ...(at.path ? { path: at.path } : {}),
  });
  const items = commits.map((c) => commitLine(p, c)).join('');
  const link = (n: number, text: string, rel: string) =>
    `<a href="${escapeHtml(withQuery(p.c.url, 'page', n === 1 ? undefined : String(n)))}" rel="${rel}" data-testid="${rel}-page">${escapeHtml(text)}</a>`;
  const pager =
    page > 1 || more
      ? `<nav class="pager">${page > 1 ? link(page - 1, `← ${t.newer}`, 'prev') : ''}<span class="muted">${escapeHtml(t.page(page))}</span>${more ? link(page + 1, `${t.older} →`, 'next') : ''}</nav>`
      : '';
  const list = commits.length
    ? `<div class="box"><ol class="commits" data-testid="commits">${items}</ol></div>`
    : `<p class="muted" data-testid="no-commits">${escapeHtml(t.noCommits)}</p>`;
  const body = `${projectHead(p, 'history', at.ref)}<div class="bar">${pathCrumbs(p, at.ref, at.path)}</div>${list}${pager}`;
  return sendPage(reply, p.c, { title: `${t.history} · ${p.project.name}`, body });
}
