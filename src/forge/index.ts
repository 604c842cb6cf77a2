export type {
  Forge,
  ForgeAccess,
  ForgeGroup,
  ForgeIdentity,
  ForgeProject,
  ForgeUser,
  RepoToken,
  ForgeCommit,
  ForgePush,
  ForgeProjectChoice,
} from './forge.ts';
export { createGitlabForge, type GitlabForgeOptions } from './gitlab-forge.ts';
export type { ForgeCallSample } from './gitlab-requester.ts';
export { pingForge } from './forge-ping.ts';
export { usernameCandidate } from './gitlab-users.ts';
export { displayName, pathSlug, withSuffix } from './forge-names.ts';
export { ForgeCallError, isForgeStatus } from './forge-errors.ts';
export { withRetry, parseRetryAfter, defaultRetryPolicy, type RetryPolicy } from './retry.ts';
export {
  createProvisioner,
  defaultProvisionerOptions,
  type Provisioner,
  type ProvisionerOptions,
} from './provisioning/provisioner.ts';
export type {
  Provisioning,
  ProvisionSpec,
  ProvisionStatus,
  ProvisionStep,
} from './provisioning/provisioning-model.ts';
export { checkForge, type CheckResult } from './forge-check.ts';
