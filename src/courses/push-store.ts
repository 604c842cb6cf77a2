import type { Db } from '../db/index.ts';

/** A push as the forge recorded it (its own clock), from a push hook or the events API. */
export interface Push {
  key: string;
  projectId: number;
  ref: string;
  before: string | undefined;
  after: string | undefined;
  pushedAt: number;
  author: string;
}

/**
 * The forge's push ledger. A push hook and the events API report the same push under different keys,
 * so one push may be here twice: readers go by (project, after, time), which agree.
 */
export function createPushStore(db: Db, now: () => number = Date.now) {
  async function record(p: Push): Promise<boolean> {
    const r = await db
      .insertInto('forge_pushes')
      .values({
        event_key: p.key.slice(0, 200),
        project_id: p.projectId,
        ref: p.ref.slice(0, 255),
        before_sha: p.before ?? null,
        after_sha: p.after ?? null,
        pushed_at: p.pushedAt,
        author: p.author.slice(0, 255),
        received_at: now(),
      })
      .onConflict((c) => c.column('event_key').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** The pushes to `branch` of these projects, oldest first. */
  async function pushesTo(projectIds: number[], branch: string): Promise<Push[]> {
    if (projectIds.length === 0) return [];
    const rows = await db
      .selectFrom('forge_pushes')
      .selectAll()
      .where('project_id', 'in', projectIds)
      .where('ref', '=', branch)
      .orderBy('pushed_at')
      .execute();
    return rows.map((r) => ({
      key: r.event_key,
      projectId: r.project_id,
      ref: r.ref,
      before: r.before_sha ?? undefined,
      after: r.after_sha ?? undefined,
      pushedAt: Number(r.pushed_at),
      author: r.author,
    }));
  }

  /** When the ledger last heard of each project (for the reconcile's window). */
  async function newest(projectIds: number[]): Promise<Map<number, number>> {
    if (projectIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('forge_pushes')
      .select(['project_id', (eb) => eb.fn.max('pushed_at').as('at')])
      .where('project_id', 'in', projectIds)
      .groupBy('project_id')
      .execute();
    return new Map(rows.map((r) => [r.project_id, Number(r.at)]));
  }

  /** Projects the ledger heard of after `receivedAfter` (labgate's clock), to react to. */
  async function projectsHeardSince(receivedAfter: number): Promise<number[]> {
    const rows = await db
      .selectFrom('forge_pushes')
      .select('project_id')
      .distinct()
      .where('received_at', '>', receivedAfter)
      .execute();
    return rows.map((r) => r.project_id);
  }

  return { record, pushesTo, newest, projectsHeardSince };
}

export type PushStore = ReturnType<typeof createPushStore>;
