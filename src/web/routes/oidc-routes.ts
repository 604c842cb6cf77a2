import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OidcProvider, SessionStore, UserStore } from '../../identity/index.ts';
import { isFormBody } from '../form-body.ts';
import { pickLang } from '../i18n.ts';
import { consentPage, signInThroughCoursePage } from '../pages/oidc-pages.ts';
import { readSessionId } from '../session-cookie.ts';

export const oidcMountPath = '/oidc';

export interface OidcRouteDeps {
  provider: OidcProvider;
  sessions: Pick<SessionStore, 'findSession'>;
  users: Pick<UserStore, 'findUser'>;
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
  /** The operator's identity provider, offered to people who did not come from their course. */
  directLogin?: { name: string; path: string };
}

/**
 * labgate's OpenID Connect provider at `/oidc` (discovery, authorize, token, userinfo, JWKS, handled by
 * oidc-provider) and its sign-in step: a person with a labgate session is signed in without a prompt;
 * one without is told to come in through their course.
 */
export function registerOidcRoutes(server: FastifyInstance, deps: OidcRouteDeps) {
  const { provider } = deps;
  const handler = provider.callback();

  // Refusals are logged for operators by their OAuth code and client only: never a code, token or secret.
  const refusals = [
    'authorization.error',
    'grant.error',
    'userinfo.error',
    'revocation.error',
    'end_session.error',
    'server_error',
  ] as const;
  for (const event of refusals)
    provider.on(
      event,
      (
        ctx: { oidc?: { client?: { clientId: string } } },
        err: Error & { error?: string; error_description?: string },
      ) =>
        deps.log.warn(
          {
            event,
            client: ctx.oidc?.client?.clientId,
            error: err.error ?? err.name,
            description: err.error_description,
          },
          'OpenID Connect request refused',
        ),
    );

  const lang = (request: FastifyRequest, locale?: string) =>
    pickLang({ session: locale, acceptLanguage: request.headers['accept-language'] });

  async function finish(request: FastifyRequest, reply: FastifyReply, result: object) {
    reply.hijack();
    await provider.interactionFinished(request.raw, reply.raw, result as never, {
      mergeWithLastSubmission: false,
    });
  }

  server.get(`${oidcMountPath}/interaction/:uid`, async (request, reply) => {
    const details = await provider.interactionDetails(request.raw, reply.raw);
    const client = await provider.Client.find(String(details.params['client_id']));
    const clientName = client?.clientName ?? String(details.params['client_id']);
    const sessionId = readSessionId(request);
    const session = sessionId ? await deps.sessions.findSession(sessionId) : undefined;
    if (details.prompt.name === 'login') {
      if (!session)
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(
            signInThroughCoursePage(
              lang(request),
              clientName,
              deps.directLogin && {
                name: deps.directLogin.name,
                href: `${deps.directLogin.path}?return_to=${encodeURIComponent(`${oidcMountPath}/interaction/${details.uid}`)}`,
              },
            ),
          );
      const user = await deps.users.findUser(session.userId);
      if (!user || user.disabled) {
        deps.log.info(
          { client: client?.clientId, user: session.userId },
          'OIDC sign-in refused: account disabled',
        );
        return finish(request, reply, {
          error: 'access_denied',
          error_description: 'This labgate account is disabled.',
        });
      }
      return finish(request, reply, { login: { accountId: user.id } });
    }
    // Consent: first-party clients never get here (their grant is made in loadExistingGrant).
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        consentPage(
          lang(request, session?.locale),
          clientName,
          `${oidcMountPath}/interaction/${details.uid}`,
        ),
      );
  });

  server.post(
    `${oidcMountPath}/interaction/:uid`,
    { config: { csrfExempt: true } }, // bound to the browser by the provider's interaction cookie
    async (request, reply) => {
      const details = await provider.interactionDetails(request.raw, reply.raw);
      const decision = isFormBody(request.body) ? request.body.fields.get('decision') : undefined;
      if (decision !== 'allow' || !details.session?.accountId)
        return finish(request, reply, { error: 'access_denied', error_description: 'The person refused.' });
      const grant = new provider.Grant({
        clientId: String(details.params['client_id']),
        accountId: details.session.accountId,
      });
      grant.addOIDCScope(String(details.params['scope'] ?? 'openid'));
      return finish(request, reply, { consent: { grantId: await grant.save() } });
    },
  );

  // Everything else under /oidc is the provider's: it reads the path below its mount point, and the
  // request body itself (Fastify's parsers are switched off for these routes, so the stream is unread).
  void server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scope.all(`${oidcMountPath}/*`, { config: { csrfExempt: true } }, async (request, reply) => {
      const raw = request.raw as typeof request.raw & { originalUrl?: string };
      raw.originalUrl = raw.url;
      raw.url = (raw.url ?? '').slice(oidcMountPath.length) || '/';
      reply.hijack();
      await handler(raw, reply.raw);
    });
  });
}
