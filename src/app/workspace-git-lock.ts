import type { JobLocks } from '../db/index.ts';
import type { WorkspaceGitDeps } from '../flows/index.ts';

/** How long a git button waits for another operation on the same workspace (another tab or replica). */
const waitMs = 60_000;

/** The git buttons' lock: one operation at a time on a learner's folder, across replicas. */
export function workspaceGitLock(
  locks: Pick<JobLocks, 'runExclusive'>,
  o: { waitMs: number } = { waitMs },
): NonNullable<WorkspaceGitDeps['exclusive']> {
  return (workspaceId, work) => locks.runExclusive(`workspace-git:${workspaceId}`, work, o);
}
