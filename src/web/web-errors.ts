import { AppError } from '../errors.ts';

export const webErrors = {
  noSession: () =>
    new AppError({
      code: 'WEB_NO_SESSION',
      status: 401,
      message: 'You are not signed in to labgate, or your session has expired.',
      hint: 'Open the activity again from your course in your LMS (FUN, Moodle…).',
    }),
  csrf: (why: string) =>
    new AppError({
      code: 'WEB_CSRF',
      status: 403,
      message: `This form was refused: ${why}.`,
      hint: 'Reload the page and try again; forms of labgate only work from labgate’s own pages.',
    }),
  workspaceNotYours: () =>
    new AppError({
      code: 'WEB_WORKSPACE_NOT_YOURS',
      status: 403,
      message: 'This workspace is not yours, or does not exist.',
      hint: 'Open your own workspace from your course.',
    }),
  workspaceEntry: () =>
    new AppError({
      code: 'WEB_WORKSPACE_ENTRY',
      status: 403,
      message: 'A workspace is entered by opening it, not from inside another page.',
      hint: 'Open the activity again from your course.',
    }),
  staffOnly: () =>
    new AppError({
      code: 'WEB_STAFF_ONLY',
      status: 403,
      message: 'This page is for the teachers and teaching assistants of this course.',
      hint: 'Open labgate from the course in your LMS as a teacher, then come back.',
    }),
  noAssignment: (slug: string) =>
    new AppError({
      code: 'WEB_NO_ASSIGNMENT',
      status: 404,
      message: `This course has no assignment ${slug}.`,
    }),
  noReceipt: () =>
    new AppError({
      code: 'WEB_NO_RECEIPT',
      status: 404,
      message: 'Nothing has been recorded for you in this exercise yet.',
      hint: 'A receipt appears once the deadline has passed, for the work GitLab received from you by then; if you never opened the exercise from your course, open it there first.',
    }),
  notFound: (path: string) =>
    new AppError({ code: 'WEB_NOT_FOUND', status: 404, message: `There is no page at ${path}.` }),
  formType: () =>
    new AppError({
      code: 'WEB_UNSUPPORTED_MEDIA_TYPE',
      status: 415,
      message:
        'This request’s content type is not accepted here; send an HTML form (application/x-www-form-urlencoded).',
    }),
  tooLarge: () =>
    new AppError({
      code: 'WEB_TOO_LARGE',
      status: 413,
      message: 'This request is larger than labgate accepts here.',
    }),
  methodNotAllowed: (message: string) =>
    new AppError({ code: 'WEB_METHOD_NOT_ALLOWED', status: 405, message }),
  badRequest: (why: string) =>
    new AppError({ code: 'WEB_BAD_REQUEST', status: 400, message: `Bad request: ${why}.` }),
};
