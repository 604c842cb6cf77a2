/** Every value a Cookie header gives `name` (a sibling site may have added its own: cookie tossing). */
export function cookieValues(header: string | undefined, name: string): string[] {
  const values: string[] = [];
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        values.push(decodeURIComponent(part.slice(eq + 1).trim()));
      } catch {
        // A malformed value is nobody's cookie.
      }
    }
  }
  return values;
}

export const cookieValue = (header: string | undefined, name: string) => cookieValues(header, name)[0];

const names = (secure: boolean) => ({
  pass: secure ? '__Host-labgate_ws' : 'labgate_ws',
  state: secure ? '__Host-labgate_ws_state' : 'labgate_ws_state',
});

/** Cookies labgate sets on workspace origins: the proxy never forwards them to a container. */
export const workspaceCookieNames = [...Object.values(names(true)), ...Object.values(names(false))];

/**
 * A workspace origin's own cookies: host-only (no Domain), HttpOnly, `__Host-` and Secure on https.
 * SameSite=Lax: sent when labgate's redirect brings the browser in, never on other sites' requests.
 */
export function workspaceCookies(publicBaseUrl: URL) {
  const secure = publicBaseUrl.protocol === 'https:';
  const { pass, state } = names(secure);
  const attributes = (maxAgeSeconds: number) =>
    `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
  return {
    pass,
    state,
    setPass: (value: string, maxAgeSeconds: number) => `${pass}=${value}; ${attributes(maxAgeSeconds)}`,
    setState: (value: string) => `${state}=${value}; ${attributes(600)}`,
    clearState: () => `${state}=; ${attributes(0)}`,
  };
}

export type WorkspaceCookies = ReturnType<typeof workspaceCookies>;
