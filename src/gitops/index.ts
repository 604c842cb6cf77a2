export type { GitContext, Remote } from './git-command.ts';
export type { LearnerRepo } from './learner-repo.ts';
export { commitAndPush, type CommitResult } from './commit-push.ts';
export { pull, type PullResult } from './pull-merge.ts';
export { summarize, type RepoSummary } from './repo-summary.ts';
export { notebookProblem } from './notebook-validity.ts';
export { gitErrors } from './git-errors.ts';
export { fileUrl } from './file-url.ts';
