export { completeLaunch, type LaunchFlowDeps } from './learner-launch.ts';
export {
  createWorkspaceLauncher,
  cullIdle,
  workspacePath,
  type WorkspaceLauncher,
  type WorkspaceLaunchDeps,
} from './workspace-launch.ts';
