import type { Forge } from '../forge/index.ts';
import type { CourseLearner, PeopleStore } from '../identity/index.ts';
import { executeErasure, planErasure, type ErasureDeps, type ErasureReport } from './person-erasure.ts';

export interface RetirementDeps extends ErasureDeps {
  people: Pick<PeopleStore, 'courseForks' | 'courseLearners'>;
  forge?: ErasureDeps['forge'] & Pick<Forge, 'archiveProject'>;
}

/** What `courses retire` does: forks to archive, learners whose data in the course goes. */
export interface RetirementPlan {
  courseId: string;
  /** Learners last active before this (epoch ms) are past the retention period. */
  cutoff: number;
  forks: Array<{ userId: string; forkId: number }>;
  /** `person`: enrolled nowhere else, so the whole person goes (account included); `course`: only this course's data. */
  erase: Array<CourseLearner & { scope: 'person' | 'course' }>;
  /** Learners active within the retention period: their archived forks and records stay. */
  kept: CourseLearner[];
}

export interface RetirementProgress {
  phase: 'archive' | 'erase';
  done: number;
  total: number;
}

export async function planRetirement(
  deps: Pick<RetirementDeps, 'people'>,
  o: { courseId: string; afterDays: number; now: number },
): Promise<RetirementPlan> {
  const cutoff = o.now - o.afterDays * 86_400_000;
  const learners = await deps.people.courseLearners(o.courseId);
  return {
    courseId: o.courseId,
    cutoff,
    forks: await deps.people.courseForks(o.courseId),
    erase: learners
      .filter((l) => l.lastActiveAt < cutoff)
      .map((l) => ({ ...l, scope: l.otherCourses > 0 ? ('course' as const) : ('person' as const) })),
    kept: learners.filter((l) => l.lastActiveAt >= cutoff),
  };
}

export interface RetirementReport {
  archived: number;
  missing: number;
  erased: number;
  failed: Array<{ userId?: string; what: string; error: string }>;
}

/**
 * Archives every fork of the course (read-only on the forge, readable still), then erases the data of
 * learners past the retention period: the whole person when this was their only course, else only
 * what this course holds on them. Safe to run again: archived forks stay archived, erased people are gone.
 */
export async function executeRetirement(
  deps: RetirementDeps,
  plan: RetirementPlan,
  onProgress: (p: RetirementProgress) => void = () => {},
): Promise<RetirementReport> {
  const report: RetirementReport = { archived: 0, missing: 0, erased: 0, failed: [] };
  const forge = deps.forge;
  for (const [i, f] of plan.forks.entries()) {
    try {
      if (!forge)
        throw new Error('no forge configured: set FORGE_URL and FORGE_TOKEN as the server has them');
      if ((await forge.archiveProject(f.forkId)) === 'archived') report.archived++;
      else report.missing++;
    } catch (err) {
      report.failed.push({
        userId: f.userId,
        what: `archive fork ${f.forkId}`,
        error: (err as Error).message,
      });
    }
    onProgress({ phase: 'archive', done: i + 1, total: plan.forks.length });
  }
  for (const [i, l] of plan.erase.entries()) {
    const scope = l.scope === 'person' ? { userId: l.userId } : { userId: l.userId, courseId: plan.courseId };
    const result: ErasureReport = await executeErasure(deps, await planErasure(deps, scope));
    if (result.failed.length === 0) report.erased++;
    for (const f of result.failed) report.failed.push({ userId: l.userId, ...f });
    onProgress({ phase: 'erase', done: i + 1, total: plan.erase.length });
  }
  return report;
}
