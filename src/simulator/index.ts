export {
  demoAssignmentSlug,
  demoCourse,
  personas,
  lmsUserId,
  type LmsFlavour,
  type PersonaRole,
} from './personas.ts';
export { signLti11Launch } from './lti11-signer.ts';
export { lti11LaunchParams, type SimulatedLaunch } from './lti11-launch.ts';
export { ensureDemoConsumer, ensureDemoAssignment, demoConsumerKey } from './demo-setup.ts';
export { demoForgeSecretFiles, startDemoForge } from './demo-forge.ts';
export {
  createSimulatorPlatform,
  simulatorClientId,
  simulatorDeploymentId,
  type SimulatorPlatform,
  type HintedMessage,
  type MintedMessage,
} from './lti13-platform.ts';
export type { SimulatorLink, SimulatorLinks } from './lti13-links.ts';
export { lti13Subject } from './lti13-claims.ts';
