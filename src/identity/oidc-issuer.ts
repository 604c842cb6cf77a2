/** labgate's OIDC issuer: `<public base URL>/oidc`, exactly what GitLab's `issuer` setting must say. */
export const oidcIssuer = (publicBaseUrl: URL) =>
  new URL('oidc', `${publicBaseUrl.href.replace(/\/?$/, '/')}`).href;
