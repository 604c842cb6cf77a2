import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Store } from './store.ts';
import { endWebSession, startWebSession } from './web-session.ts';
import { htmlPage } from './web-pages.ts';

/** GitLab's `omniauth_providers` entry for `openid_connect` (doc/administration/auth/oidc.md). */
export interface OidcLoginSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  label?: string;
  /** `omniauth_auto_sign_in_with_provider`: the sign-in page goes straight to the provider. */
  autoSignIn?: boolean;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
}

const provider = 'openid_connect';
const loginTtlMs = 10 * 60_000;
const base64url = (b: Buffer) => b.toString('base64url');

/** Only a path on this forge: browsers drop tabs and newlines and read `\` as `/`, so `/\t/evil` is `//evil`. */
function localPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return '/';
  if (/[\p{Cc}\p{Cf}\p{Z}\s\\]/u.test(value) || !URL.canParse(value, 'http://forge.invalid')) return '/';
  const url = new URL(value, 'http://forge.invalid');
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === 'http://forge.invalid' && !path.startsWith('//') ? path : '/';
}

function failure(reply: FastifyReply, status: number, reason: string) {
  // GitLab's wording (omniauth_callbacks_controller.rb): "Could not authenticate you from OpenIDConnect because …"
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(
      htmlPage(
        'Sign in',
        `<p data-testid="alert">Could not authenticate you from OpenIDConnect because "${reason.replace(/[&<>"']/g, '')}".</p>`,
      ),
    );
}

/**
 * The sign-in GitLab performs with omniauth_openid_connect (discovery, code with PKCE and nonce,
 * token with Basic client auth, id_token verified, userinfo always called and merged under the
 * id_token's claims), matching the user by their `openid_connect` identity: no account is created.
 */
export function registerOidcLogin(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; settings: () => OidcLoginSettings | undefined },
) {
  let discovered:
    { issuer: string; meta: Discovery; jwks: ReturnType<typeof createRemoteJWKSet> } | undefined;
  async function discovery(settings: OidcLoginSettings) {
    if (discovered?.issuer !== settings.issuer) {
      const res = await fetch(`${settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
      if (!res.ok) throw new Error(`discovery answered ${res.status}`);
      const meta = (await res.json()) as Discovery;
      if (meta.issuer !== settings.issuer) throw new Error(`issuer mismatch: ${meta.issuer}`);
      discovered = { issuer: settings.issuer, meta, jwks: createRemoteJWKSet(new URL(meta.jwks_uri)) };
    }
    return discovered;
  }
  const callbackUrl = () => `${o.baseUrl()}/users/auth/${provider}/callback`;

  const start = async (request: { query: unknown }, reply: FastifyReply) => {
    const settings = o.settings();
    if (!settings) return failure(reply, 404, 'this provider is not configured');
    const { meta } = await discovery(settings);
    const state = base64url(randomBytes(24));
    const nonce = base64url(randomBytes(24));
    const verifier = base64url(randomBytes(32));
    const returnTo = localPath((request.query as { redirect_to?: unknown }).redirect_to ?? '/');
    store.prepare('DELETE FROM oidc_logins WHERE created_at < ?').run(Date.now() - loginTtlMs);
    store
      .prepare(
        'INSERT INTO oidc_logins (state, nonce, verifier, return_to, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(state, nonce, verifier, returnTo, Date.now());
    const url = new URL(meta.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: settings.clientId,
      redirect_uri: callbackUrl(),
      response_type: 'code',
      scope: 'openid profile email',
      state,
      nonce,
      code_challenge: base64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
    }).toString();
    return reply.redirect(url.href, 302);
  };
  server.get(`/users/auth/${provider}`, start);
  server.post(`/users/auth/${provider}`, start);

  server.get(`/users/auth/${provider}/callback`, async (request, reply) => {
    const settings = o.settings();
    if (!settings) return failure(reply, 404, 'this provider is not configured');
    const q = request.query as Record<string, string | undefined>;
    const login = q.state
      ? (store.prepare('SELECT * FROM oidc_logins WHERE state = ?').get(q.state) as
          { nonce: string; verifier: string; return_to: string; created_at: number } | undefined)
      : undefined;
    if (q.state) store.prepare('DELETE FROM oidc_logins WHERE state = ?').run(q.state);
    if (q.error) return failure(reply, 403, q.error_description ?? q.error);
    if (!login || Date.now() - login.created_at > loginTtlMs) return failure(reply, 403, 'Invalid state');
    const { meta, jwks } = await discovery(settings);
    const tokenRes = await fetch(meta.token_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: q.code ?? '',
        redirect_uri: callbackUrl(),
        code_verifier: login.verifier,
      }),
    });
    const tokens = (await tokenRes.json()) as { access_token?: string; id_token?: string; error?: string };
    if (!tokenRes.ok || !tokens.id_token || !tokens.access_token)
      return failure(reply, 403, tokens.error ?? `token endpoint answered ${tokenRes.status}`);
    let idClaims: Record<string, unknown>;
    try {
      ({ payload: idClaims } = await jwtVerify(tokens.id_token, jwks, {
        issuer: settings.issuer,
        audience: settings.clientId,
      }));
    } catch (err) {
      return failure(reply, 403, `invalid id_token: ${(err as Error).message}`);
    }
    if (idClaims['nonce'] !== login.nonce) return failure(reply, 403, 'Invalid nonce');
    const infoRes = await fetch(meta.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    if (!infoRes.ok) return failure(reply, 403, `userinfo answered ${infoRes.status}`);
    const info = { ...((await infoRes.json()) as Record<string, unknown>), ...idClaims };
    const uid = String(info['sub'] ?? '');
    if (!uid) return failure(reply, 403, 'the provider sent no subject');
    const user = store
      .prepare(
        `SELECT u.id, u.state FROM identities i JOIN users u ON u.id = i.user_id
         WHERE i.provider = ? AND i.extern_uid = ?`,
      )
      .get(provider, uid) as { id: number; state: string } | undefined;
    if (!user)
      return failure(
        reply,
        403,
        'Signing in using your OpenIDConnect account without a pre-existing GitLab account is not allowed',
      );
    if (user.state !== 'active') return failure(reply, 403, 'Your account has been blocked');
    startWebSession(store, request, reply, user.id);
    return reply.redirect(localPath(login.return_to), 302);
  });

  // Not GitLab's (its sign-out is a POST with its own CSRF token): the provider's sign-out sends the
  // browser here, top-level so that the Lax cookie comes along, and gets it back on the provider's site.
  server.get(`/users/auth/${provider}/sign_out`, async (request, reply) => {
    endWebSession(store, request, reply);
    const back = onProviderSite((request.query as { return_to?: unknown }).return_to, o.settings());
    return reply.redirect(back ?? '/users/sign_in?auto_sign_in=false', 302);
  });
}

/** `value` when it is an address on the OIDC provider's own origin, else nothing. */
function onProviderSite(value: unknown, settings: OidcLoginSettings | undefined): string | undefined {
  if (!settings || typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.origin === new URL(settings.issuer).origin ? url.href : undefined;
}
