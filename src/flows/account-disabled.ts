import { AppError } from '../errors.ts';

/** An administrator disabled this person (`labgate users disable`): no session anywhere. */
export const accountDisabled = () =>
  new AppError({
    code: 'ACCOUNT_DISABLED',
    status: 403,
    message: 'This labgate account is disabled.',
    hint: 'Ask your course team: an administrator disabled it, and only they can enable it again.',
  });
