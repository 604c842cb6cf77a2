export type { Forge, ForgeIdentity, ForgeUser } from './forge.ts';
export { createGitlabForge, usernameCandidate } from './gitlab-forge.ts';
export { ForgeCallError } from './forge-errors.ts';
export { withRetry, parseRetryAfter, defaultRetryPolicy, type RetryPolicy } from './retry.ts';
