export { createUserStore, type LmsIdentity, type User, type UserStore } from './user-store.ts';
export { createSessionStore, type Session, type SessionStore } from './session-store.ts';
export { createWorkspacePassStore, hashState, type WorkspacePassStore } from './workspace-pass-store.ts';
export * from './oidc/index.ts';
export { oidcIssuer } from './oidc-issuer.ts';
export {
  createUpstreamLogin,
  type UpstreamLogin,
  type UpstreamPerson,
  type UpstreamSettings,
} from './upstream/upstream-login.ts';
