import * as client from 'openid-client';
import { AppError } from '../../errors.ts';
import type { Db } from '../../db/index.ts';

export interface UpstreamSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What people see: "Sign in with <name>". */
  name: string;
  /** labgate's callback, registered with the provider. */
  redirectUri: string;
}

export interface UpstreamPerson {
  issuer: string;
  clientId: string;
  sub: string;
  name: string | undefined;
  email: string | undefined;
  emailVerified: boolean;
}

const loginTtlMs = 10 * 60_000;
const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

const refused = (why: string) =>
  new AppError({
    code: 'UPSTREAM_LOGIN_FAILED',
    status: 400,
    message: `The sign-in through your institution did not complete: ${why}.`,
    hint: 'Try again from the start; if it keeps failing, open the activity from your course instead.',
    details: { why },
  });

/**
 * Direct login through the operator's identity provider (openid-client): for people who want to
 * reach GitLab without going through their LMS first. Code flow with PKCE, state and nonce.
 */
export function createUpstreamLogin(settings: UpstreamSettings, db: Db, now: () => number = Date.now) {
  let configuration: Promise<client.Configuration> | undefined;
  const discover = () => {
    const url = new URL(settings.issuer);
    // Plain http only for a provider on this machine (tests, a local trial).
    const insecure = url.protocol === 'http:' && loopback.has(url.hostname);
    configuration ??= client
      .discovery(url, settings.clientId, settings.clientSecret, undefined, {
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((err: unknown) => {
        configuration = undefined;
        throw new AppError({
          code: 'UPSTREAM_UNREACHABLE',
          status: 502,
          message: `labgate could not reach ${settings.name}’s sign-in service: ${(err as Error).message}.`,
          hint: 'Try again in a minute, or open the activity from your course.',
        });
      });
    return configuration;
  };

  return {
    name: settings.name,
    /** Where to send the browser; `returnTo` (a labgate path) is where it comes back after. */
    async start(returnTo: string): Promise<string> {
      const config = await discover();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const verifier = client.randomPKCECodeVerifier();
      await db
        .deleteFrom('upstream_logins')
        .where('created_at', '<', now() - loginTtlMs)
        .execute();
      await db
        .insertInto('upstream_logins')
        .values({ state, nonce, verifier, return_to: returnTo, created_at: now() })
        .execute();
      return client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: 'openid profile email',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      }).href;
    },
    /** The callback: the person the provider vouches for, and where they were going. */
    async finish(callbackUrl: URL): Promise<{ person: UpstreamPerson; returnTo: string }> {
      const state = callbackUrl.searchParams.get('state') ?? '';
      const login = await db
        .selectFrom('upstream_logins')
        .selectAll()
        .where('state', '=', state)
        .executeTakeFirst();
      await db.deleteFrom('upstream_logins').where('state', '=', state).execute();
      if (!login || now() - login.created_at > loginTtlMs)
        throw refused('this sign-in expired or was already used');
      const error = callbackUrl.searchParams.get('error');
      if (error) throw refused(callbackUrl.searchParams.get('error_description') ?? error);
      const config = await discover();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: login.verifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
        });
      } catch (err) {
        throw refused((err as Error).message);
      }
      const claims = tokens.claims()!;
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub).catch(() => undefined);
      const merged = { ...info, ...claims } as Record<string, unknown>;
      return {
        returnTo: login.return_to,
        person: {
          issuer: config.serverMetadata().issuer,
          clientId: settings.clientId,
          sub: claims.sub,
          name: typeof merged['name'] === 'string' ? merged['name'] : undefined,
          email: typeof merged['email'] === 'string' ? merged['email'] : undefined,
          emailVerified: merged['email_verified'] === true,
        },
      };
    },
  };
}

export type UpstreamLogin = ReturnType<typeof createUpstreamLogin>;
