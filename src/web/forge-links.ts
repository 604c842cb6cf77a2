/** The forge as labgate's pages link to it. */
export interface ForgeLinks {
  /** Its web address, without a trailing slash. */
  url: string;
  /** The embedded gitlab-lite: it signs people in through labgate, and out in labgate's sign-out chain. */
  signsInThroughLabgate: boolean;
}

/** labgate's address that opens a page of the forge signed in as the person labgate knows. */
export const forgeOpenPath = '/forge/open';

/**
 * Links to the forge's pages made into links through labgate (`base` given: absolute, for pages on
 * other origins such as JupyterLab's); any other address is kept as it is.
 */
export function viaLabgate(forge: ForgeLinks | undefined, base?: URL) {
  return (webUrl: string): string => {
    if (!forge || !URL.canParse(webUrl)) return webUrl;
    const url = new URL(webUrl);
    if (url.origin !== new URL(forge.url).origin) return webUrl;
    const to = `${url.pathname}${url.search}${url.hash}`;
    const link = `${forgeOpenPath}?${new URLSearchParams({ to })}`;
    return base ? new URL(link, base).href : link;
  };
}

/** gitlab-lite's sign-out, which sends the browser back to `back` (on labgate's origin) once done. */
export const forgeSignOutUrl = (forge: ForgeLinks, back: string) =>
  `${forge.url}/users/auth/openid_connect/sign_out?${new URLSearchParams({ return_to: back })}`;
