import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Provisioner } from '../forge/index.ts';
import { createOidcAccounts } from '../flows/index.ts';
import {
  createOidcKeys,
  createOidcProvider,
  createUpstreamLogin,
  oidcIssuer,
  type OidcClientStore,
  type SessionStore,
  type UserStore,
} from '../identity/index.ts';
import type { Db } from '../db/index.ts';
import type { startDemoForge } from '../simulator/index.ts';
import { pickLang } from '../web/i18n.ts';
import { oidcErrorPage } from '../web/pages/oidc-pages.ts';
import { oidcMountPath, registerOidcRoutes } from '../web/routes/oidc-routes.ts';
import { registerUpstreamLoginRoutes, upstreamLoginPath } from '../web/routes/upstream-login-routes.ts';
import { sessionCookieName, type SessionCookieOptions } from '../web/session-cookie.ts';
import { cookieValue } from '../web/workspace-cookies.ts';

/**
 * "Sign in with labgate": the OIDC provider GitLab trusts, the optional direct login through the
 * operator's identity provider, and the embedded forge registered as a client in the trial.
 */
export async function registerSignIn(
  server: FastifyInstance,
  o: {
    config: Config;
    db: Db;
    now: () => number;
    users: UserStore;
    sessions: SessionStore;
    oidcClients: OidcClientStore;
    provisioner: Provisioner | undefined;
    cookie: SessionCookieOptions;
    demoForge: Awaited<ReturnType<typeof startDemoForge>> | undefined;
  },
) {
  const publicBaseUrl = o.config.http.publicBaseUrl;
  const issuer = oidcIssuer(publicBaseUrl);
  if (o.demoForge) {
    // The embedded forge signs people in through labgate, like a GitLab set up by the README.
    const client = await o.oidcClients.replace('labgate-embedded-forge', {
      name: 'Embedded forge (gitlab-lite)',
      redirectUris: [`${o.demoForge.url}/users/auth/openid_connect/callback`],
      firstParty: true,
      tokenAuth: 'client_secret_basic',
    });
    o.demoForge.setOidc({ issuer, ...client, label: 'labgate', autoSignIn: true });
  }
  const upstream =
    o.config.oidc.upstream &&
    createUpstreamLogin(
      {
        ...o.config.oidc.upstream,
        redirectUri: new URL(`${upstreamLoginPath}/callback`, publicBaseUrl).href,
      },
      o.db,
      o.now,
    );
  if (upstream)
    registerUpstreamLoginRoutes(server, {
      upstream,
      users: o.users,
      sessions: o.sessions,
      sessionTtlSeconds: o.config.session.ttlSeconds,
      cookie: o.cookie,
      publicBaseUrl,
    });
  const keys = createOidcKeys(
    o.db,
    { rotateDays: o.config.oidc.keyRotationDays, keepDays: o.config.oidc.keyKeepDays },
    o.now,
  );
  registerOidcRoutes(server, {
    ...(upstream ? { directLogin: { name: upstream.name, path: upstreamLoginPath } } : {}),
    provider: await createOidcProvider({
      issuer,
      db: o.db,
      keys,
      findAccount: createOidcAccounts({
        users: o.users,
        provisioner: o.provisioner,
        forgeUsernames: o.config.forgeUsernames,
      }),
      interactionPath: (uid) => `${oidcMountPath}/interaction/${uid}`,
      renderError: (ctx, out) => {
        ctx.type = 'html';
        ctx.body = oidcErrorPage(
          pickLang({ acceptLanguage: ctx.get('accept-language') }),
          out.error,
          out.error_description,
        );
      },
      // The provider signs in only the person labgate's session names in this browser.
      currentAccount: async (req) => {
        const id = cookieValue(req.headers.cookie, sessionCookieName);
        return id ? (await o.sessions.findSession(id))?.userId : undefined;
      },
      now: o.now,
    }),
    sessions: o.sessions,
    users: o.users,
    log: server.log,
  });
}
