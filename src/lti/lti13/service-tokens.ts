import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { callService, excerpt, failed, isSuccess, readJson, statusFault } from '../service-call.ts';
import type { ToolKeys } from './tool-keys.ts';

/** Where labgate gets service tokens from a platform, and who it is there. */
export interface TokenEndpoint {
  tokenUrl: string;
  clientId: string;
}

const tokenAnswer = z.object({
  access_token: z.string().min(1).max(16_384),
  token_type: z.string(),
  expires_in: z.number().positive().optional(),
  scope: z.string().optional(),
});

const tokenRefusal = z.object({ error: z.string(), error_description: z.string().optional() });

// Tokens are renewed this long before they expire, so that none runs out in the middle of a send.
const marginMs = 60_000;

/**
 * OAuth 2 client-credentials tokens for LTI services, the client authenticated by a JWT signed with
 * labgate's tool key (RFC 7523), cached per platform and scopes until shortly before they expire.
 * @see https://www.imsglobal.org/spec/security/v1p0/#using-json-web-tokens-with-oauth-2-0-client-credentials-grant
 */
export function createServiceTokens(deps: {
  toolKeys: Pick<ToolKeys, 'signingKey'>;
  timeoutMs?: number;
  now?: () => number;
}) {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { token: string; expiresAt: number }>();
  const asking = new Map<string, Promise<string>>();
  const keyOf = (p: TokenEndpoint, scopes: string[]) =>
    JSON.stringify([p.tokenUrl, p.clientId, [...scopes].sort()]);

  async function assertion(p: TokenEndpoint): Promise<string> {
    const { kid, key } = await deps.toolKeys.signingKey();
    const iat = Math.floor(now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(p.clientId)
      .setSubject(p.clientId)
      .setAudience(p.tokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .setJti(randomBytes(18).toString('base64url'))
      .sign(key);
  }

  async function ask(p: TokenEndpoint, scopes: string[]): Promise<{ token: string; expiresAt: number }> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion(p),
      scope: scopes.join(' '),
    });
    const res = await callService(
      p.tokenUrl,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
      },
      timeoutMs,
    );
    if (!isSuccess(res)) {
      // RFC 6749 §5.2: the refusal's code and description are safe to show; the rest is not read.
      const refusal = tokenRefusal.safeParse(safeJson(res.text));
      const said = refusal.success
        ? `${refusal.data.error}${refusal.data.error_description ? ` (${excerpt(refusal.data.error_description, 200)})` : ''}`
        : undefined;
      const fault = statusFault(res, said);
      throw fault.answer.outcome === 'retry'
        ? fault
        : failed(`the platform refused labgate a service token: ${fault.answer.text}`);
    }
    const answer = readJson(res, tokenAnswer, 'the token request');
    if (answer.token_type.toLowerCase() !== 'bearer')
      throw failed(`the platform gave a ${answer.token_type} token; LTI services use Bearer tokens`);
    const lifetimeMs = Math.min(answer.expires_in ?? 3600, 86_400) * 1000;
    return { token: answer.access_token, expiresAt: now() + lifetimeMs };
  }

  /** A token for these scopes: the cached one while it has a minute left, else a new one (asked once). */
  async function token(p: TokenEndpoint, scopes: string[]): Promise<string> {
    const key = keyOf(p, scopes);
    const cached = cache.get(key);
    if (cached && now() < cached.expiresAt - marginMs) return cached.token;
    const pending = asking.get(key);
    if (pending) return pending;
    const request = ask(p, scopes)
      .then((t) => {
        cache.set(key, t);
        return t.token;
      })
      .finally(() => asking.delete(key));
    asking.set(key, request);
    return request;
  }

  /** Forgets a token the service refused (401), unless a newer one replaced it already. */
  function drop(p: TokenEndpoint, scopes: string[], refused: string): void {
    const key = keyOf(p, scopes);
    if (cache.get(key)?.token === refused) cache.delete(key);
  }

  return { token, drop };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type ServiceTokens = ReturnType<typeof createServiceTokens>;
