import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { oidcSessionCookies, type SessionStore, type WorkspacePassStore } from '../../identity/index.ts';
import type { WorkspaceStore } from '../../workspaces/index.ts';
import { isFormBody } from '../form-body.ts';
import { localPath } from '../local-redirect.ts';
import { forgeOpenPath, forgeSignOutUrl, type ForgeLinks } from '../forge-links.ts';
import { pickLang, type Lang } from '../i18n.ts';
import { resetPage, signOutPage } from '../pages/account-pages.ts';
import { clearSessionCookie, readSessionId, type SessionCookieOptions } from '../session-cookie.ts';
import { webErrors } from '../web-errors.ts';

export interface AccountRouteDeps {
  sessions: Pick<SessionStore, 'findSession' | 'endSession'>;
  passes: Pick<WorkspacePassStore, 'endPassesOf'>;
  /** When workspaces run: the learner's own, to reset. */
  workspaces?: Pick<WorkspaceStore, 'findFor'>;
  cookie: SessionCookieOptions;
  publicBaseUrl: URL;
  forge: ForgeLinks | undefined;
}

const html = (reply: FastifyReply, body: string) =>
  reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

const asked = (request: FastifyRequest, name: string): string | undefined => {
  const query = (request.query as Record<string, string | undefined> | undefined)?.[name];
  return query ?? (isFormBody(request.body) ? (request.body.fields.get(name) ?? undefined) : undefined);
};

/**
 * Signing out (labgate, its workspaces, its OIDC sign-in, and the embedded forge through a redirect
 * chain), resetting one's own environment, and opening the forge as the person labgate knows.
 */
export function registerAccountRoutes(server: FastifyInstance, deps: AccountRouteDeps) {
  const current = async (request: FastifyRequest) => {
    const id = readSessionId(request);
    return id ? deps.sessions.findSession(id) : undefined;
  };
  const langOf = (request: FastifyRequest, locale?: string): Lang =>
    pickLang({
      query: asked(request, 'lang'),
      session: locale,
      acceptLanguage: request.headers['accept-language'],
    });
  const forgeSignOut = !deps.forge ? 'none' : deps.forge.signsInThroughLabgate ? 'chained' : 'by-hand';

  // Never signs anyone out: a confirmation whose button posts, or what signing out did.
  server.get('/sign-out', async (request, reply) => {
    const session = await current(request);
    return html(
      reply,
      signOutPage({
        lang: langOf(request, session?.locale),
        csrfToken: session?.csrfToken,
        forge: forgeSignOut,
        forgeSignedOut: asked(request, 'forge') === 'out',
      }),
    );
  });

  // CSRF-checked like every POST. The session, its workspace passes and the provider's sign-in end here.
  async function signOut(request: FastifyRequest, reply: FastifyReply) {
    const id = readSessionId(request);
    const session = await current(request);
    const lang = langOf(request, session?.locale);
    if (id) {
      await deps.passes.endPassesOf(id);
      await deps.sessions.endSession(id);
    }
    clearSessionCookie(reply, deps.cookie);
    for (const name of oidcSessionCookies) reply.clearCookie(name, { path: '/' });
    reply.header('cache-control', 'no-store');
    if (forgeSignOut !== 'chained') return reply.redirect(`/sign-out?lang=${lang}`, 303);
    const back = new URL(`/sign-out?lang=${lang}&forge=out`, deps.publicBaseUrl).href;
    return reply.redirect(forgeSignOutUrl(deps.forge!, back), 303);
  }
  server.post('/sign-out', signOut);
  server.post('/logout', signOut); // the address older pages post to

  server.get('/home/reset', async (request, reply) => {
    const session = await current(request);
    if (!session) throw webErrors.noSession();
    const ws = session.courseId
      ? await deps.workspaces?.findFor(session.userId, session.courseId)
      : undefined;
    return html(
      reply,
      resetPage({
        lang: langOf(request, session.locale),
        csrfToken: session.csrfToken,
        workspaceId: ws && ws.userId === session.userId ? ws.id : undefined,
      }),
    );
  });

  server.get(forgeOpenPath, async (request, reply) => {
    if (!deps.forge) throw webErrors.notFound(forgeOpenPath);
    const to = localPath(asked(request, 'to')); // a path, so only ever on the forge
    if (!to) throw webErrors.badRequest('to must be a path on the forge');
    return reply.header('cache-control', 'no-store').redirect(forgeOpenUrl(deps.forge, to), 303);
  });
}

/**
 * A forge that signs people in through labgate starts a fresh sign-in (it signs out whoever was
 * there first, and labgate's provider answers for this browser's session); any other is linked to.
 */
function forgeOpenUrl(forge: ForgeLinks, to: string) {
  if (!forge.signsInThroughLabgate) return `${forge.url}${to}`;
  return `${forge.url}/users/auth/openid_connect?redirect_to=${encodeURIComponent(to)}`;
}
