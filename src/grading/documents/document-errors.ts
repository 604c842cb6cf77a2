import { AppError } from '../../errors.ts';

/** A file that cannot be diffed as what its name says: what is wrong with it, in a person's words. */
export const documentError = (file: string, why: string, hint?: string) =>
  new AppError({
    code: 'DIFF_UNREADABLE',
    status: 422,
    message: `${file}: ${why}.`,
    ...(hint ? { hint } : {}),
  });
