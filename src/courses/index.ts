export { createCourseStore, type Course, type CourseRole, type CourseStore } from './course-store.ts';
export { createAssignmentStore, type Assignment, type AssignmentStore } from './assignment-store.ts';
export { createRosterStore, type RosterRow, type RosterStore } from './roster-store.ts';
