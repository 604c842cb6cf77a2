import { createRemoteJWKSet } from 'jose';

type RemoteJwks = ReturnType<typeof createRemoteJWKSet>;

/**
 * One remote key set per platform JWKS URL: jose caches the keys and refetches when a token names a
 * kid it has not seen (a platform rotated its key), at most once per cooldown.
 */
export function createJwksCache(o: { cooldownMs?: number; timeoutMs?: number } = {}) {
  const sets = new Map<string, RemoteJwks>();
  return (url: string): RemoteJwks => {
    let set = sets.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), {
        cooldownDuration: o.cooldownMs ?? 10_000,
        timeoutDuration: o.timeoutMs ?? 5_000,
        cacheMaxAge: 10 * 60_000,
      });
      sets.set(url, set);
    }
    return set;
  };
}

export type JwksCache = ReturnType<typeof createJwksCache>;
