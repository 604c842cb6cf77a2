export {
  createPlatformStore,
  type Platform,
  type PlatformStore,
  type PlatformRegistration,
} from './platform-store.ts';
export { createLoginStateStore, type LoginStateStore } from './login-state-store.ts';
export { createToolKeys, type ToolKeys } from './tool-keys.ts';
export { createJwksCache, type JwksCache } from './jwks-cache.ts';
export {
  startLti13Login,
  finishLti13Launch,
  bindingCookieName,
  launchPath,
  type Lti13Deps,
} from './lti13-launch.ts';
export type { Lti13Message } from './lti13-claims.ts';
export type { DeepLinkingSettings } from './deep-linking-settings.ts';
export {
  signDeepLinkingResponse,
  resourceLinkItem,
  type DeepLinkingAnswer,
  type LinkedExercise,
} from './deep-linking-response.ts';
export {
  createDeepLinkStore,
  deepLinkTtlMs,
  type DeepLinkStore,
  type PendingDeepLink,
} from './deep-link-store.ts';
export { createAgsClient, type AgsClient, type AgsClientDeps, type AgsDelivery } from './ags-client.ts';
export { createServiceTokens, type ServiceTokens, type TokenEndpoint } from './service-tokens.ts';
