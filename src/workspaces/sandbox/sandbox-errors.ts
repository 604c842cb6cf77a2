import { AppError } from '../../errors.ts';

const nothingLost = 'Nothing in your workspace was changed or lost.';

export const sandboxErrors = {
  ended: (why: string) =>
    new AppError({
      code: 'SANDBOX_ENDED',
      status: 503,
      message: `labgate lost its connection to your workspace (${why}).`,
      hint: `Try again; if your workspace was stopped, open the activity from your course to start it. ${nothingLost}`,
      details: { why },
    }),
  refused: (op: string, reason: string, why: string) =>
    new AppError({
      code: 'SANDBOX_REFUSED',
      status: 409,
      message: `Your workspace refused labgate’s ${op}: ${why}.`,
      hint: `Check the file named in your workspace, then try again. ${nothingLost}`,
      details: { op, reason, why },
    }),
  unavailable: (why: string) =>
    new AppError({
      code: 'SANDBOX_UNAVAILABLE',
      status: 503,
      message: `labgate could not open your workspace to work in it: ${why}.`,
      hint: `Try again in a minute; if it keeps failing, tell your teacher. ${nothingLost}`,
      details: { why },
    }),
};

/** The reason the agent gave for refusing, when `err` is such a refusal. */
export const refusalReason = (err: unknown): string | undefined =>
  err instanceof AppError && err.code === 'SANDBOX_REFUSED' ? String(err.details?.reason) : undefined;
