import { AppError } from '../errors.ts';

/** Refusals of the grader's desk and the feedback page, in words that say what to do. */
export const reviewErrors = {
  noAssignment: (slug: string) =>
    new AppError({
      code: 'REVIEW_NO_ASSIGNMENT',
      status: 404,
      message: `This course has no assignment ${slug.slice(0, 80)}.`,
      hint: 'Open the assignment from the course page.',
      details: { slug: slug.slice(0, 80) },
    }),
  noLearner: () =>
    new AppError({
      code: 'REVIEW_NO_LEARNER',
      status: 404,
      message: 'This person is not a learner of this course.',
      hint: 'Open a learner from the assignment’s roster.',
    }),
  noSpec: () =>
    new AppError({
      code: 'REVIEW_NO_SPEC',
      status: 409,
      message: 'This assignment has no usable grading.yml, so its questions cannot be scored.',
      hint: 'Push grading.yml and the expected files to the assignment’s grading repository; comments still work.',
    }),
  unknownQuestion: (id: string) =>
    new AppError({
      code: 'REVIEW_UNKNOWN_QUESTION',
      status: 400,
      message: `There is no question ${id.slice(0, 80)} in grading.yml.`,
      hint: 'Reload the page: grading.yml may have changed.',
      details: { question: id.slice(0, 80) },
    }),
  scoreRange: (id: string, max: number) =>
    new AppError({
      code: 'REVIEW_SCORE_RANGE',
      status: 400,
      message: `The score of ${id.slice(0, 80)} must be between 0 and ${max}.`,
      hint: 'Type a number in that range, or empty the field to keep the automatic score.',
      details: { question: id.slice(0, 80), max },
    }),
  unknownRubricItem: (id: string, item: number) =>
    new AppError({
      code: 'REVIEW_UNKNOWN_RUBRIC_ITEM',
      status: 400,
      message: `Question ${id.slice(0, 80)} has no rubric item ${item + 1}.`,
      hint: 'Reload the page: grading.yml may have changed.',
      details: { question: id.slice(0, 80), item: item + 1 },
    }),
  generalScore: () =>
    new AppError({
      code: 'REVIEW_GENERAL_SCORE',
      status: 400,
      message: 'The general comment takes no score and no rubric items.',
    }),
  badBody: (why: string) =>
    new AppError({
      code: 'REVIEW_BAD_BODY',
      status: 400,
      message: `This request was not understood: ${why.slice(0, 300)}.`,
      hint: 'Reload the page and try again.',
      details: { why: why.slice(0, 300) },
    }),
};
