export { completeLaunch, type LaunchFlowDeps } from './learner-launch.ts';
