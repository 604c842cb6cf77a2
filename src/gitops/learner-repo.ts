import type { GitContext, Remote } from './git-command.ts';
import type { TemplateSource } from './template-delivery.ts';

/** A learner's workspace repository and the two places its work meets: their fork and the template. */
export interface LearnerRepo {
  ctx: GitContext;
  /** The learner's fork: where their work is saved. */
  origin: Remote;
  /** The teacher's template: where updates come from (absent when it was deleted). */
  template?: () => Promise<TemplateSource | undefined>;
  /** Files over this size are not committed (a message says so). */
  maxFileBytes: number;
  /** What the learner's folder may hold (WORKSPACE_DISK_MB). */
  diskLimitBytes: number;
}
