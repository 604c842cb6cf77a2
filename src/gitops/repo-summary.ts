import { diskRoom, type DiskRoom } from './disk-room.ts';
import type { LearnerRepo } from './learner-repo.ts';
import { fetchRemote, trackingRef } from './remote-ops.ts';
import { guardRepository } from './repo-guard.ts';
import { countMissing, headCommit, workingChanges, type Change } from './repo-status.ts';
import { receiveTemplate } from './template-delivery.ts';

export interface RepoSummary {
  branch: string | null;
  /** Commits in the workspace not yet in the learner's fork, and the other way round. */
  ahead: number;
  behind: number;
  /** Commits of the teacher's template not yet brought in. */
  teacherUpdates: number;
  changed: Change[];
  lastCommit: { sha: string; message: string; date: string } | null;
  disk: DiskRoom;
}

/** "Status": what is changed, saved, and waiting, after asking GitLab for news. */
export async function summarize(repo: LearnerRepo): Promise<RepoSummary> {
  const { ctx } = repo;
  const branch = await guardRepository(ctx, repo.origin.branch);
  const originRef = trackingRef('origin', repo.origin.branch);
  const hasOrigin = await fetchRemote(ctx, repo.origin, originRef);
  const template = await repo.template?.();
  const templateRef = template ? await receiveTemplate(ctx, template) : undefined;
  return {
    branch,
    ahead: hasOrigin ? await countMissing(ctx, originRef, 'HEAD') : 0,
    behind: hasOrigin ? await countMissing(ctx, 'HEAD', originRef) : 0,
    teacherUpdates: templateRef ? await countMissing(ctx, 'HEAD', templateRef) : 0,
    changed: await workingChanges(ctx),
    lastCommit: await headCommit(ctx),
    disk: await diskRoom(ctx, repo.diskLimitBytes, { refuse: false }),
  };
}
