export { oauthSignature, signatureBaseString, percentEncode, type SignatureMethod } from './oauth1.ts';
export { createConsumerStore, newSecret, type Consumer, type ConsumerStore } from './consumer-store.ts';
export { createNonceStore, type NonceStore } from './nonce-store.ts';
export {
  verifyLti11Launch,
  signedLaunchUrl,
  type Lti11VerifierDeps,
  type Lti11Request,
} from './lti11-verify.ts';
export { readLti11Launch, localeFrom } from './lti11-claims.ts';
export {
  replaceResultRequest,
  readOutcomeResponse,
  oauthBodyHash,
  type OutcomeHttpRequest,
  type OutcomeResponse,
  type OutcomeCodeMajor,
} from './outcomes.ts';
export {
  verifyOutcomeRequest,
  type OutcomeRequestToVerify,
  type VerifiedReplaceResult,
} from './outcomes-verify.ts';
export {
  verifyOutcomeOperation,
  outcomeResponseXml,
  type VerifiedOutcomeOperation,
  type VerifiedRecordOperation,
} from './outcomes-receiving.ts';
export { courseRoleFromLti11, courseRoleFromLti13 } from './roles.ts';
export type { VerifiedLaunch, CourseRole, Locale } from './launch.ts';
export {
  createPlatformStore,
  createLoginStateStore,
  createToolKeys,
  createJwksCache,
  startLti13Login,
  finishLti13Launch,
  bindingCookieName,
  launchPath as lti13LaunchPath,
  type Platform,
  type PlatformStore,
  type PlatformRegistration,
  type Lti13Deps,
  type ToolKeys,
  type JwksCache,
  type Lti13Message,
  type DeepLinkingSettings,
  signDeepLinkingResponse,
  resourceLinkItem,
  type DeepLinkingAnswer,
  type LinkedExercise,
  createDeepLinkStore,
  deepLinkTtlMs,
  type DeepLinkStore,
  type PendingDeepLink,
  createAgsClient,
  type AgsClient,
  type AgsDelivery,
} from './lti13/index.ts';
export {
  agsEndpointClaim,
  agsScopes,
  readAgsEndpoint,
  readOutcomeService,
  shownUrl,
  type GradeService,
  type GradeServiceReading,
} from './grade-service.ts';
export {
  createOutcomeSender,
  outcomeScore,
  type OutcomeDelivery,
  type OutcomeSender,
} from './outcome-sender.ts';
export type { DeliveryAnswer } from './service-call.ts';
