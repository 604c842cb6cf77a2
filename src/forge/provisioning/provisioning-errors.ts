import { AppError } from '../../errors.ts';

const teacherFix = 'The teacher or the labgate administrator should fix the assignment, then launch again.';

/** Failures no retry can fix: the job stops and says what a person must do. */
export const provisionErrors = {
  templateMissing: (template: string) =>
    new AppError({
      code: 'PROVISION_TEMPLATE_MISSING',
      status: 409,
      message: `The assignment's template project "${template}" does not exist in GitLab (deleted, renamed, or not visible to labgate's token).`,
      hint: teacherFix,
    }),
  templateEmpty: (template: string) =>
    new AppError({
      code: 'PROVISION_TEMPLATE_EMPTY',
      status: 409,
      message: `The assignment's template project "${template}" has no commits yet, so there is nothing to copy.`,
      hint: 'The teacher should push the exercise to the template, then learners can launch again.',
    }),
  forkKeepsFailing: (failures: number, why: string | undefined) =>
    new AppError({
      code: 'PROVISION_FORK_FAILED',
      status: 502,
      message: `GitLab failed to copy the template ${failures} times${why ? ` (last: ${why})` : ''}.`,
      hint: 'The GitLab administrator should check GitLab’s Sidekiq and Gitaly logs; launching again retries.',
    }),
  noFreePath: (group: string) =>
    new AppError({
      code: 'PROVISION_NO_FREE_PATH',
      status: 409,
      message: `Every path labgate tried for this fork in the GitLab group "${group}" is taken by other projects.`,
      hint: 'The GitLab administrator should move the projects that are not learners’ forks out of the course group.',
    }),
  gaveUp: (attempts: number, why: string) =>
    new AppError({
      code: 'PROVISION_FORGE_DOWN',
      status: 502,
      message: `GitLab kept failing after ${attempts} attempts: ${why}`,
      hint: 'GitLab is down or overloaded. Launching again retries from where it stopped.',
    }),
};
