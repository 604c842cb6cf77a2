export { createCourseStore, type Course, type CourseRole, type CourseStore } from './course-store.ts';
export { createAssignmentStore, type Assignment, type AssignmentStore } from './assignment-store.ts';
