import { AppError } from '../errors.ts';

/** Refusals of the roster's "Send again" button. */
export const passbackErrors = {
  nothingToSend: () =>
    new AppError({
      code: 'PASSBACK_NOTHING_TO_SEND',
      status: 404,
      message: 'No grade of this learner has been sent to the LMS yet, so there is nothing to send again.',
      hint: 'Grades go to the LMS once they are given; reload the roster to see where each one is.',
    }),
};
