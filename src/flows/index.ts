export { completeLaunch, type LaunchFlowDeps } from './learner-launch.ts';
export {
  createWorkspaceLauncher,
  workspacePath,
  type WorkspaceLauncher,
  type WorkspaceLaunchDeps,
} from './workspace-launch.ts';
export {
  createWorkspaceGit,
  gitOperations,
  type GitOperation,
  type WorkspaceGit,
  type WorkspaceGitDeps,
} from './workspace-git.ts';
export { createOidcAccounts } from './oidc-accounts.ts';
export { signInFromUpstream } from './upstream-sign-in.ts';
export { createClassGrading, type ClassGrading, type ClassGradingDeps } from './class-grading.ts';
export { createAnswerCheck, type AnswerCheck, type AnswerCheckDeps } from './answer-check.ts';
