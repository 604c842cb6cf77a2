import { AppError } from '../errors.ts';

/** Why a collection of submissions cannot start; the CLI exits 2 on any of them. */
export const collectErrors = {
  noCourse: (courseId: string) =>
    new AppError({
      code: 'COLLECT_NO_COURSE',
      status: 404,
      message: `There is no course ${courseId}.`,
      hint: 'See `labgate courses list`.',
    }),
  noAssignment: (courseId: string, slug: string) =>
    new AppError({
      code: 'COLLECT_NO_ASSIGNMENT',
      status: 404,
      message: `There is no assignment ${slug} in course ${courseId}.`,
      hint: 'See `labgate assignments list`.',
    }),
  nothingRecorded: (slug: string, deadline: number | undefined) =>
    new AppError({
      code: 'COLLECT_NOTHING_RECORDED',
      status: 409,
      message:
        deadline === undefined
          ? `Assignment ${slug} has no deadline: nothing was recorded; see \`labgate assignments deadline\`.`
          : `The deadline has not passed: nothing was recorded; see \`labgate assignments deadline\`.`,
      hint: 'Submissions are recorded when the deadline passes; collect them after that.',
      ...(deadline === undefined ? {} : { details: { deadline: new Date(deadline).toISOString() } }),
    }),
  noForge: () =>
    new AppError({
      code: 'COLLECT_NO_FORGE',
      status: 409,
      message: 'labgate has no forge (GitLab) configured: there are no submissions to collect.',
      hint: 'Set FORGE_URL and FORGE_TOKEN.',
    }),
  outExists: (dir: string) =>
    new AppError({
      code: 'COLLECT_OUT_EXISTS',
      status: 409,
      message: `${dir} already exists and is not empty: nothing was written.`,
      hint: 'Choose another folder with --out, or replace an earlier collection there with --force.',
    }),
  outNotCollection: (dir: string) =>
    new AppError({
      code: 'COLLECT_OUT_NOT_COLLECTION',
      status: 409,
      message: `${dir} is not an earlier collection (no submitted/ folder, no manifest): --force leaves it alone.`,
      hint: 'Choose another folder with --out.',
    }),
  outNotFolder: (dir: string) =>
    new AppError({
      code: 'COLLECT_OUT_NOT_FOLDER',
      status: 409,
      message: `${dir} exists and is not a folder: nothing was written.`,
      hint: 'Choose another folder with --out.',
    }),
};
