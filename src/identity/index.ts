export { createUserStore, type LmsIdentity, type User, type UserStore } from './user-store.ts';
export { createSessionStore, type Session, type SessionStore } from './session-store.ts';
