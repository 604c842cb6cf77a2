import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../../db/index.ts';
import type { OidcKeys } from './oidc-keys.ts';
import { recordAdapter } from './oidc-records.ts';

/** What GitLab reads about a person (omniauth openid_connect), from labgate's user and forge records. */
export interface OidcAccount {
  /** labgate's user id: the extern_uid of the person's GitLab identity, never changing. */
  sub: string;
  /** The GitLab username the forge adapter gave them. */
  preferredUsername: string | undefined;
  name: string;
  email: string;
  /** False for the non-deliverable placeholder labgate makes when the LMS sent no address. */
  emailVerified: boolean;
  disabled: boolean;
}

export interface OidcProviderOptions {
  /** `<public base URL>/oidc`: GitLab's `issuer` must equal it exactly. */
  issuer: string;
  db: Db;
  keys: OidcKeys;
  findAccount: (sub: string) => Promise<OidcAccount | undefined>;
  /** Where the provider sends a browser to sign in or consent: `<issuer>/interaction/<uid>`. */
  interactionPath: (uid: string) => string;
  renderError: (ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) => void;
  now?: () => number;
}

/** labgate's OpenID Connect provider (oidc-provider), as GitLab and JupyterHub use it. */
export async function createOidcProvider(o: OidcProviderOptions) {
  const configuration: Configuration = {
    adapter: recordAdapter(o.db, o.now),
    jwks: { keys: (await o.keys.signingKeys()) as never },
    cookies: { keys: await o.keys.cookieSecrets(), long: { signed: true }, short: { signed: true } },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    extraClientMetadata: { properties: ['first_party'] },
    // Every client must use PKCE: a stolen code is worthless without the verifier.
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 3600,
      IdToken: 3600,
      Interaction: 600,
      Session: 86_400,
      Grant: 86_400,
      RefreshToken: 86_400,
    },
    interactions: { url: (_ctx, interaction) => o.interactionPath(interaction.uid) },
    async findAccount(_ctx, sub) {
      const account = await o.findAccount(sub);
      if (!account || account.disabled) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          name: account.name,
          email: account.email,
          email_verified: account.emailVerified,
          ...(account.preferredUsername ? { preferred_username: account.preferredUsername } : {}),
        }),
      };
    },
    // labgate's own services get the scopes they ask for without a consent screen.
    async loadExistingGrant(ctx) {
      const { client, session, params, result } = ctx.oidc;
      const grantId =
        (result?.['consent'] as { grantId?: string } | undefined)?.grantId ??
        session?.grantIdFor(client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (!client || !(client as unknown as { first_party?: boolean }).first_party || !session?.accountId)
        return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(String(params?.['scope'] ?? 'openid'));
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => o.renderError(ctx, out),
    conformIdTokenClaims: false,
  };
  const provider = new Provider(o.issuer, configuration);
  provider.proxy = true;
  return provider;
}

export type OidcProvider = Awaited<ReturnType<typeof createOidcProvider>>;
