import { randomBytes } from 'node:crypto';
import { AppError } from '../../errors.ts';
import type { Db } from '../../db/index.ts';

export interface OidcClientInput {
  name: string;
  redirectUris: string[];
  /** labgate's own services (GitLab, JupyterHub): no consent screen. */
  firstParty: boolean;
  /** How the client sends its secret to the token endpoint (GitLab: Basic unless `client_auth_method: "query"`). */
  tokenAuth: 'client_secret_basic' | 'client_secret_post';
}

export interface OidcClient {
  clientId: string;
  name: string;
  redirectUris: string[];
  firstParty: boolean;
  createdAt: number;
}

function checkRedirectUri(uri: string) {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new AppError({
      code: 'OIDC_CLIENT_REDIRECT',
      status: 400,
      message: `"${uri}" is not a URL.`,
      hint: 'Give the full callback URL, e.g. https://gitlab.example.edu/users/auth/openid_connect/callback.',
    });
  }
  if (url.hash || !['https:', 'http:'].includes(url.protocol))
    throw new AppError({
      code: 'OIDC_CLIENT_REDIRECT',
      status: 400,
      message: `"${uri}" cannot be a redirect URI: it must be http(s) and carry no #fragment.`,
      hint: 'Give the full callback URL, e.g. https://gitlab.example.edu/users/auth/openid_connect/callback.',
    });
}

const slug = (name: string) =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'client';

/** The applications allowed to sign people in through labgate (`labgate oidc-clients`). */
export function createOidcClientStore(db: Db, now = Date.now) {
  async function add(
    input: OidcClientInput,
    fixedId?: string,
  ): Promise<{ clientId: string; clientSecret: string }> {
    if (input.redirectUris.length === 0)
      throw new AppError({
        code: 'OIDC_CLIENT_REDIRECT',
        status: 400,
        message: 'A client needs at least one redirect URI.',
        hint: 'Pass --redirect-uri with the application’s callback URL.',
      });
    input.redirectUris.forEach(checkRedirectUri);
    const clientId = fixedId ?? `${slug(input.name)}-${randomBytes(4).toString('hex')}`;
    if (fixedId) await remove(fixedId);
    const clientSecret = randomBytes(32).toString('base64url');
    const metadata = {
      client_id: clientId,
      client_secret: clientSecret,
      client_name: input.name,
      redirect_uris: input.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: input.tokenAuth,
      first_party: input.firstParty,
    };
    await db
      .insertInto('oidc_clients')
      .values({ client_id: clientId, metadata: JSON.stringify(metadata), created_at: now() })
      .execute();
    return { clientId, clientSecret };
  }

  async function list(): Promise<OidcClient[]> {
    const rows = await db.selectFrom('oidc_clients').selectAll().orderBy('created_at').execute();
    return rows.map((r) => {
      const m = JSON.parse(r.metadata) as {
        client_name: string;
        redirect_uris: string[];
        first_party: boolean;
      };
      return {
        clientId: r.client_id,
        name: m.client_name,
        redirectUris: m.redirect_uris,
        firstParty: m.first_party,
        createdAt: r.created_at,
      };
    });
  }

  async function remove(clientId: string): Promise<boolean> {
    const r = await db.deleteFrom('oidc_clients').where('client_id', '=', clientId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  return {
    add,
    /** Registers (again) the client with this id: a new secret and redirect URIs; for labgate's own forge. */
    replace: (clientId: string, input: OidcClientInput) => add(input, clientId),
    list,
    remove,
  };
}

export type OidcClientStore = ReturnType<typeof createOidcClientStore>;
