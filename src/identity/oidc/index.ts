export {
  createOidcProvider,
  oidcSessionCookies,
  type OidcAccount,
  type OidcProvider,
  type OidcProviderOptions,
} from './oidc-provider.ts';
export { createOidcKeys, type OidcKeys } from './oidc-keys.ts';
export {
  createOidcClientStore,
  type OidcClient,
  type OidcClientInput,
  type OidcClientStore,
} from './oidc-clients.ts';
export { forgetExpiredOidcRecords } from './oidc-records.ts';
