export { createCourseStore, type Course, type CourseRole, type CourseStore } from './course-store.ts';
export {
  createAssignmentStore,
  latePolicies,
  type Assignment,
  type AssignmentStore,
  type LatePolicy,
} from './assignment-store.ts';
export { createRosterStore, type RosterRow, type RosterStore } from './roster-store.ts';
export { createPushStore, type Push, type PushStore } from './push-store.ts';
export { createExtensionStore, type ExtensionStore } from './extension-store.ts';
export { createSubmissionStore, type Submission, type SubmissionStore } from './submission-store.ts';
export { createForkStateStore, type ForkState, type ForkStateStore } from './fork-state-store.ts';
export { deadlineOf, delayText, submittedBy, type Submitted } from './deadlines.ts';
export {
  createGradeTargetStore,
  type GradeTarget,
  type GradeTargetInput,
  type GradeTargetStore,
} from './grade-target-store.ts';
export {
  createGradeOutbox,
  type ClaimedGrade,
  type GradeOutbox,
  type GradeToQueue,
  type MarkResult,
  type OutboxGrade,
  type OutboxOptions,
  type OutboxStatus,
} from './grade-outbox-store.ts';
