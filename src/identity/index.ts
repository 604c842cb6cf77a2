export { createUserStore, type LmsIdentity, type User, type UserStore } from './user-store.ts';
export { createSessionStore, type Session, type SessionStore } from './session-store.ts';
export { createWorkspacePassStore, hashState, type WorkspacePassStore } from './workspace-pass-store.ts';
export * from './oidc/index.ts';
export { oidcIssuer } from './oidc-issuer.ts';
export { createPseudonyms, type Pseudonyms } from './pseudonyms.ts';
export {
  createPersonRecordStore,
  erasedAuthor,
  forgeRefsOf,
  type PersonRecords,
  type PersonRecordStore,
  type PersonRow,
  type PersonScope,
} from './person-records-store.ts';
export {
  createPeopleStore,
  type CourseLearner,
  type PeopleStore,
  type PersonSummary,
} from './people-store.ts';
export {
  createUpstreamLogin,
  type UpstreamLogin,
  type UpstreamPerson,
  type UpstreamSettings,
} from './upstream/upstream-login.ts';
