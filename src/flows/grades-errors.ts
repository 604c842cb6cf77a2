import { AppError } from '../errors.ts';

/** Refusals of the grades page, its exports and the release of feedback, in words that say what to do. */
export const gradesErrors = {
  noCourse: (courseId: string) =>
    new AppError({
      code: 'GRADES_NO_COURSE',
      status: 404,
      message: `There is no course ${courseId}.`,
      hint: 'See `labgate courses list` for the course ids.',
      details: { courseId: courseId.slice(0, 100) },
    }),
  noAssignment: (courseId: string, slug: string) =>
    new AppError({
      code: 'GRADES_NO_ASSIGNMENT',
      status: 404,
      message: `There is no assignment ${slug} in course ${courseId}.`,
      hint: 'The course page lists its assignments.',
      details: { courseId: courseId.slice(0, 100), slug: slug.slice(0, 100) },
    }),
  noPassback: () =>
    new AppError({
      code: 'GRADES_NO_PASSBACK',
      status: 503,
      message: 'This labgate does not send grades to LMSs.',
      hint: 'Export the grades as CSV and enter them in the LMS instead.',
    }),
};
