export { createCourseStore, type Course, type CourseRole, type CourseStore } from './course-store.ts';
export {
  createAssignmentStore,
  latePolicies,
  type Assignment,
  type AssignmentStore,
  type LatePolicy,
} from './assignment-store.ts';
export { createRosterStore, type RosterRow, type RosterStore } from './roster-store.ts';
