export {
  demoAssignmentSlug,
  demoCourse,
  personas,
  lmsUserId,
  type LmsFlavour,
  type PersonaRole,
} from './personas.ts';
export { signLti11Launch } from './lti11-signer.ts';
export { lti11LaunchParams, type SimulatedLaunch, type OutcomesService } from './lti11-launch.ts';
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
export {
  createGradebook,
  type Gradebook,
  type GradeColumn,
  type GradeEntry,
  type GradeRefusal,
} from './gradebook.ts';
export { createOutcomesReceiver, type OutcomesReceiver, type OutcomeAnswer } from './outcomes-receiver.ts';
export { createOutage, type Outage, type OutageState } from './outage.ts';
export { agsMedia, type AgsAnswer, type AgsCall, type AgsService } from './ags-platform.ts';
export { agsScopes, type TokenAnswer } from './token-endpoint.ts';
