import { AppError } from '../errors.ts';

/** Refusals of the teacher's deadline and extension forms, in words that say what to fix. */
export const teachingErrors = {
  pastDeadline: (when: string) =>
    new AppError({
      code: 'TEACHING_DEADLINE_PAST',
      status: 400,
      message: `The deadline ${when} (UTC) is already past.`,
      hint: 'Give a date and time still to come.',
      details: { when },
    }),
  badTime: (value: string) =>
    new AppError({
      code: 'TEACHING_BAD_TIME',
      status: 400,
      message: `"${value.slice(0, 60)}" is not a date and time labgate can read.`,
      hint: 'Give it as 2026-12-18T18:00 (with a time zone such as Europe/Paris), or +N days for an extension.',
      details: { value: value.slice(0, 60) },
    }),
  badZone: (zone: string) =>
    new AppError({
      code: 'TEACHING_BAD_ZONE',
      status: 400,
      message: `"${zone.slice(0, 60)}" is not a time zone.`,
      hint: 'Use a name such as Europe/Paris, America/Montreal or UTC.',
      details: { zone: zone.slice(0, 60) },
    }),
  notInCourse: (who: string) =>
    new AppError({
      code: 'TEACHING_NOT_IN_COURSE',
      status: 404,
      message: `No learner of this course is "${who.slice(0, 80)}".`,
      hint: 'Give their name, email, LMS id or GitLab user exactly as the roster shows it; someone who never opened the course from the LMS is not in it yet.',
      details: { who: who.slice(0, 80) },
    }),
  ambiguous: (who: string, count: number) =>
    new AppError({
      code: 'TEACHING_AMBIGUOUS_LEARNER',
      status: 409,
      message: `${count} learners of this course match "${who.slice(0, 80)}".`,
      hint: 'Give their email, LMS id or GitLab user instead of their name.',
      details: { who: who.slice(0, 80), count },
    }),
  noDeadline: () =>
    new AppError({
      code: 'TEACHING_NO_DEADLINE',
      status: 409,
      message: 'This assignment has no deadline yet: +N days has nothing to count from.',
      hint: 'Set the assignment’s deadline first, or give the extension as a date.',
    }),
};
