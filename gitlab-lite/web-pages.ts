import type { FastifyInstance } from 'fastify';
import type { Store } from './store.ts';
import { endWebSession, type WebUser } from './web-session.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function htmlPage(title: string, body: string, user?: WebUser) {
  const who = user
    ? `<p>Signed in as <strong data-testid="signed-in-as">@${escapeHtml(user.username)}</strong> · <a href="/users/sign_out">Sign out</a></p>`
    : '';
  return `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)} · GitLab</title>${who}\n${body}\n`;
}

/**
 * GitLab's sign-in and sign-out pages (sign-in goes straight to the OIDC provider when auto sign-in is
 * on). The dashboard and the project pages are in pages/.
 */
export function registerWebPages(
  server: FastifyInstance,
  store: Store,
  o: { autoSignIn: () => boolean; providers: () => Array<{ name: string; label: string }> },
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
}
