import type { IncomingMessage } from 'node:http';
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
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
  /** Who is signed in to labgate in the browser making this request (its labgate session), if anyone. */
  currentAccount?: (req: IncomingMessage) => Promise<string | undefined>;
  now?: () => number;
}

/** The provider's own sign-in session cookies (its default names, set explicitly): labgate's sign-out clears them. */
const sessionCookie = '_session';
export const oidcSessionCookies = [
  sessionCookie,
  `${sessionCookie}.sig`,
  `${sessionCookie}.legacy`,
  `${sessionCookie}.legacy.sig`,
];

/**
 * The provider's policy plus one check: its sign-in session must be the person labgate's session
 * names, so that a shared browser never signs the next person in as the previous one.
 */
function loginPolicy(currentAccount: OidcProviderOptions['currentAccount']) {
  const policy = interactionPolicy.base();
  if (!currentAccount) return policy;
  const check = new interactionPolicy.Check(
    'labgate_session_changed',
    'The person signed in to labgate is not the one signed in here',
    'login_required',
    async (ctx) => {
      const { session, result } = ctx.oidc;
      if (!session?.accountId || result?.['login']) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      return (await currentAccount(ctx.req)) === session.accountId
        ? interactionPolicy.Check.NO_NEED_TO_PROMPT
        : interactionPolicy.Check.REQUEST_PROMPT;
    },
  );
  policy.get('login')!.checks.add(check);
  return policy;
}

/** labgate's OpenID Connect provider (oidc-provider), as GitLab and JupyterHub use it. */
export async function createOidcProvider(o: OidcProviderOptions) {
  const configuration: Configuration = {
    adapter: recordAdapter(o.db, o.now),
    jwks: { keys: (await o.keys.signingKeys()) as never },
    cookies: {
      keys: await o.keys.cookieSecrets(),
      names: { session: sessionCookie },
      long: { signed: true },
      short: { signed: true },
    },
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
    interactions: {
      url: (_ctx, interaction) => o.interactionPath(interaction.uid),
      policy: loginPolicy(o.currentAccount),
    },
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
