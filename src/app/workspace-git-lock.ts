import type { JobLocks } from '../db/index.ts';
import type { WorkspaceGitDeps, WorkspaceLaunchDeps } from '../flows/index.ts';

/** How long a git button waits for another operation on the same workspace (another tab or replica). */
const waitMs = 60_000;

/** The git buttons' lock: one operation at a time on a learner's folder, across replicas. */
export function workspaceGitLock(
  locks: Pick<JobLocks, 'runExclusive'>,
  o: { waitMs: number } = { waitMs },
): NonNullable<WorkspaceGitDeps['exclusive']> {
  return (workspaceId, work) => locks.runExclusive(`workspace-git:${workspaceId}`, work, o);
}

/** The launch lock: held by the replica running a workspace's launch, gone with it if it is killed. */
export function workspaceLaunchLock(
  locks: Pick<JobLocks, 'runDetached'>,
): NonNullable<WorkspaceLaunchDeps['launchLock']> {
  return (workspaceId, work) => locks.runDetached(`workspace-launch:${workspaceId}`, work);
}
