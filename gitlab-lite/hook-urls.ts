import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

// GitLab's UrlBlocker ranges for `allow_localhost: false, allow_local_network: false`: loopback and
// "this host", private networks, link-local, and IPv6 unique-local (lib/gitlab/http_v2/url_blocker.rb).
const localV4: Array<[number, number]> = [
  ['0.0.0.0', 8],
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
].map(([net, bits]) => [v4(net as string), bits as number]);

function v4(address: string) {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function isLocalAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const n = v4(address);
    return localV4.some(
      ([net, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(net / 2 ** (32 - bits)),
    );
  }
  const a = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a)?.[1];
  if (mapped) return isLocalAddress(mapped);
  // ::1 and ::, unique-local fc00::/7, link-local fe80::/10.
  return a === '::1' || a === '::' || /^f[cd]/.test(a) || /^fe[89ab]/.test(a);
}

/** An absolute http(s) URL, as GitLab's AddressableUrlValidator takes for hooks; undefined if not. */
export function parseHookUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return undefined;
    return url;
  } catch {
    return undefined;
  }
}

/**
 * Whether the URL's host is on loopback or a private network, resolving names as GitLab does. A
 * name that does not resolve passes, as in GitLab's validators (its delivery then fails).
 */
export async function isLocalUrl(url: URL): Promise<boolean> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isLocalAddress(host);
  try {
    const found = await Promise.race([
      lookup(host, { all: true }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('DNS timeout')), 3000).unref()),
    ]);
    return found.some((f) => isLocalAddress(f.address));
  } catch {
    return false;
  }
}
