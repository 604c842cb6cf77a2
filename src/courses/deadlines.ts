import type { Push } from './push-store.ts';

/** A learner's deadline: their extension when they have one, else the assignment's. */
export const deadlineOf = (assignment: number | undefined, extension: number | undefined) =>
  extension ?? assignment;

/** What the forge says a learner submitted by `deadline`, and their newest push after it. */
export interface Submitted {
  /** The last commit the forge received at or before the deadline (undefined: none). */
  commit: { sha: string; pushedAt: number } | undefined;
  late: { sha: string; pushedAt: number } | undefined;
}

/**
 * Reads the forge's push ledger of one fork's branch (oldest first). Commit dates play no part: only
 * the forge's clock says when work arrived. Pushes by labgate itself (`ours`: its merges of template
 * updates) are not the learner's, so they neither submit nor count as late.
 */
export function submittedBy(pushes: Push[], deadline: number, ours: Set<string>): Submitted {
  // A push may be in the ledger twice (its hook, then the events API): its first sighting counts.
  const first = new Map<string, number>();
  for (const p of pushes)
    if (p.after && !ours.has(p.after) && p.pushedAt < (first.get(p.after) ?? Infinity))
      first.set(p.after, p.pushedAt);
  let commit: Submitted['commit'];
  let late: Submitted['late'];
  for (const [sha, pushedAt] of [...first].sort((a, b) => a[1] - b[1])) {
    if (pushedAt <= deadline) commit = { sha, pushedAt };
    else late = { sha, pushedAt };
  }
  return { commit, late };
}

/** How late, in words a teacher reads at a glance: `3 h 20 min`, `2 d 4 h`. */
export function delayText(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}
