export { completeLaunch, type LaunchFlowDeps } from './learner-launch.ts';
export {
  beginDeepLinking,
  deepLinkChoices,
  answerDeepLink,
  type DeepLinkingDeps,
  type DeepLinkAnswer,
} from './deep-linking.ts';
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
export { forgePersonOf, placeholderDomain, type ForgeNaming, type ForgeUsernames } from './forge-persona.ts';
export {
  executeErasure,
  planErasure,
  recordCounts,
  type ErasureDeps,
  type ErasurePlan,
  type ErasureReport,
  type WorkspaceCleanup,
} from './person-erasure.ts';
export { personExport } from './person-export.ts';
export {
  executeRetirement,
  planRetirement,
  type RetirementDeps,
  type RetirementPlan,
  type RetirementProgress,
  type RetirementReport,
} from './course-retirement.ts';
export { signInFromUpstream } from './upstream-sign-in.ts';
export { createClassGrading, type ClassGrading, type ClassGradingDeps } from './class-grading.ts';
export { createAnswerCheck, type AnswerCheck, type AnswerCheckDeps } from './answer-check.ts';
export {
  allowedImages,
  publishAssignment,
  suggestSlug,
  type PublishDeps,
  type PublishField,
  type PublishOutcome,
  type PublishProblem,
  type PublishRequest,
  type WorkspaceImages,
} from './publish-assignment.ts';
export { publishErrors } from './publish-errors.ts';
export { changeOpenFile } from './assignment-open-file.ts';
export {
  createCourseTemplates,
  type CourseTemplate,
  type CourseTemplates,
  type CourseTemplatesDeps,
  type UploadedFile,
} from './course-templates.ts';
export {
  createCollector,
  type Collector,
  type CollectDeps,
  type CollectedLearner,
  type CollectPlan,
  type CollectProgress,
} from './collect-submissions.ts';
export type { ManifestRow } from './collect-plan.ts';
export { collectErrors } from './collect-errors.ts';
export { unsafePathReason, isSafeFolderName, shownName } from './collect-paths.ts';
export { createPushLedger, type PushLedger, type PushLedgerDeps } from './push-ledger.ts';
export { createForkSync, type ForkSync, type ForkSyncDeps, type ForkOutcome } from './fork-sync.ts';
export { createDeadlineKeeper, submittedTag, type DeadlineKeeper } from './deadline-keeper.ts';
export { createCourseUpkeep, type CourseUpkeep, type CourseTask } from './course-upkeep.ts';
export { createCourseDeadlines, type CourseDeadlines } from './course-deadlines.ts';
export { teachingErrors } from './teaching-errors.ts';
export { createReceipts, type Receipt, type Receipts } from './receipts.ts';
export { createGradingRuns, type GradingRun, type GradingRuns } from './grading-runs.ts';
export {
  createSubmissionReview,
  type SubmissionReview,
  type SubmissionReviewDeps,
  type SubmissionReviewFlow,
} from './submission-review.ts';
export type { ReviewQuestion, RubricItem } from './review-questions.ts';
export type { FeedbackView } from './feedback-views.ts';
export { cachedArchives } from './archive-cache.ts';
export type { Against, FileDiff } from './review-file-diff.ts';
export type { ReviewFile } from './review-files.ts';
export type { ReviewedCommit } from './review-commit.ts';
export {
  feedbackOf,
  type LearnerFeedback,
  type FeedbackQuestion,
  type FeedbackCheck,
} from './learner-feedback.ts';
export { reviewErrors } from './review-errors.ts';
export {
  createGradePassback,
  type DeliveryRound,
  type GradePassback,
  type GradePassbackDeps,
  type LearnerGrade,
  type QueueOutcome,
} from './grade-passback.ts';
export { passbackErrors } from './passback-errors.ts';
export {
  createFeedbackRelease,
  type DeliveryProgress,
  type FeedbackRelease,
  type FeedbackReleaseDeps,
  type GradeQueue,
  type GradeQueueOutcome,
  type GradesQueued,
  type QueuedGrade,
} from './feedback-release.ts';
export {
  createGradeReport,
  type GradeReport,
  type GradeReportDeps,
  type GradeReportRow,
} from './grade-report.ts';
export { gradesErrors } from './grades-errors.ts';
