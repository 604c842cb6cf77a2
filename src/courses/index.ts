export { createCourseStore, type Course, type CourseRole, type CourseStore } from './course-store.ts';
