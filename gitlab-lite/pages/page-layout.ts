import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store.ts';
import { webUser, type WebUser } from '../web-session.ts';
import type { DocumentRenderer, PageLocale } from './document-renderer.ts';
import { withQuery } from './page-links.ts';
import { pageLocale } from './page-locale.ts';
import { pageStyles } from './page-styles.ts';
import { pageTexts, type PageTexts } from './page-texts.ts';

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Pages of learners' content on an origin that holds sessions: no script at all (a wall behind the
 * sanitizer), images only inline, and a sandbox (an opaque origin) should anything ever run.
 */
export const pagePolicy = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  'sandbox allow-popups allow-popups-to-escape-sandbox allow-downloads',
].join('; ');

export interface PageContext {
  user: WebUser | undefined;
  locale: PageLocale;
  t: PageTexts;
  /** The address asked for (language links keep it). */
  url: string;
  renderer: DocumentRenderer | undefined;
}

export function pageContext(
  store: Store,
  request: FastifyRequest,
  reply: FastifyReply,
  renderer: DocumentRenderer | undefined,
): PageContext {
  const locale = pageLocale(request, reply);
  return { user: webUser(store, request), locale, t: pageTexts[locale], url: request.url, renderer };
}

function header(c: PageContext): string {
  const { t } = c;
  const who = c.user
    ? `<span class="who">${escapeHtml(t.signedInAs)} <strong data-testid="signed-in-as">@${escapeHtml(c.user.username)}</strong></span><a href="/users/sign_out">${escapeHtml(t.signOut)}</a>`
    : `<a href="${escapeHtml(`/users/sign_in?redirect_to=${encodeURIComponent(withQuery(c.url, 'lang', undefined))}`)}">${escapeHtml(t.signIn)}</a>`;
  const lang = (code: PageLocale, label: string) =>
    code === c.locale
      ? `<strong lang="${code}">${label}</strong>`
      : `<a lang="${code}" hreflang="${code}" href="${escapeHtml(withQuery(c.url, 'lang', code))}">${label}</a>`;
  return `<header class="top"><a class="brand" href="/dashboard/projects">GitLab</a><nav><a href="/dashboard/projects" data-testid="projects-link">${escapeHtml(t.projects)}</a></nav><div class="right">${who}<span class="langs" aria-label="${escapeHtml(t.language)}">${lang('en', 'English')} · ${lang('fr', 'Français')}</span></div></header>`;
}

/** Sends a whole page; `body` is HTML already escaped or sanitized. */
export function sendPage(
  reply: FastifyReply,
  c: PageContext,
  o: { title: string; body: string; status?: number },
) {
  const html = `<!doctype html><html lang="${c.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="strict-origin-when-cross-origin">
<title>${escapeHtml(o.title)} · GitLab</title><style>${pageStyles}${c.renderer?.css ?? ''}</style></head><body>
${header(c)}
<main>${o.body}</main>
</body></html>
`;
  return reply
    .status(o.status ?? 200)
    .header('content-security-policy', pagePolicy)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'private, no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** GitLab's 404, also for what exists but the visitor may not read (its existence is not told). */
export function sendNotFound(reply: FastifyReply, c: PageContext) {
  const body = `<h1 data-testid="not-found">${escapeHtml(c.t.notFoundHeading)}</h1><p>${escapeHtml(c.t.notFoundText)}</p>`;
  return sendPage(reply, c, { title: c.t.notFoundTitle, body, status: 404 });
}

/** Not signed in, on a page that needs it: to the sign-in page, and back here afterwards. */
export const signInFirst = (reply: FastifyReply, url: string) =>
  reply.redirect(`/users/sign_in?redirect_to=${encodeURIComponent(url)}`, 302);
