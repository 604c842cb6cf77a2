import type { GitContext } from './git-command.ts';
import { gitErrors } from './git-errors.ts';

export interface DiskRoom {
  usedBytes: number;
  limitBytes: number;
  /** Over 90% of the limit: the learner is told before saving fails. */
  nearlyFull: boolean;
}

/**
 * How full the learner's folder is. With `refuse`, an operation that writes (commit, pull) is
 * refused before it starts when too little room is left, naming what takes the most.
 */
export async function diskRoom(
  ctx: GitContext,
  limitBytes: number,
  o: { refuse: boolean },
): Promise<DiskRoom> {
  const u = await ctx.folder.usage();
  // Where the engine enforces the limit the file system is that size; otherwise labgate's setting is.
  const limit = Math.min(limitBytes, u.fsBytes || limitBytes);
  const free = Math.min(limit - u.usedBytes, u.fsFreeBytes);
  const reserve = Math.max(4 * 1024 * 1024, limit * 0.02);
  if (o.refuse && free < reserve) throw gitErrors.diskFull(u.usedBytes, limit, u.biggest);
  return { usedBytes: u.usedBytes, limitBytes: limit, nearlyFull: u.usedBytes >= limit * 0.9 };
}
