import type { Db, ForkStateRow } from '../db/index.ts';

/** A fork against its template as labgate last found it, and its last "bring up to date". */
export interface ForkState {
  assignmentId: string;
  userId: string;
  forkId: number;
  forkSha: string | undefined;
  templateSha: string | undefined;
  ahead: number | undefined;
  behind: number | undefined;
  /** Paths a merge of the template would leave in conflict (empty: merges cleanly). */
  conflicts: string[];
  checkedAt: number | undefined;
  update: { status: string; message: string; at: number } | undefined;
  /** Merge commits labgate pushed to this fork, newest last (not the learner's pushes). */
  mergedShas: string[];
}

const parseList = (text: string | null): string[] => {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

const toState = (r: ForkStateRow): ForkState => ({
  assignmentId: r.assignment_id,
  userId: r.user_id,
  forkId: r.fork_id,
  forkSha: r.fork_sha ?? undefined,
  templateSha: r.template_sha ?? undefined,
  ahead: r.ahead ?? undefined,
  behind: r.behind ?? undefined,
  conflicts: parseList(r.conflicts),
  checkedAt: r.checked_at === null ? undefined : Number(r.checked_at),
  update: r.update_status
    ? { status: r.update_status, message: r.update_message ?? '', at: Number(r.updated_at) }
    : undefined,
  mergedShas: parseList(r.merged_sha),
});

export function createForkStateStore(db: Db) {
  const key = { assignment_id: '', user_id: '' };
  async function upsert(assignmentId: string, userId: string, forkId: number, set: Partial<ForkStateRow>) {
    const row = { ...key, assignment_id: assignmentId, user_id: userId, fork_id: forkId, ...set };
    await db
      .insertInto('fork_states')
      .values(row)
      .onConflict((c) => c.columns(['assignment_id', 'user_id']).doUpdateSet({ fork_id: forkId, ...set }))
      .execute();
  }

  return {
    async saveCheck(
      s: Pick<
        ForkState,
        'assignmentId' | 'userId' | 'forkId' | 'forkSha' | 'templateSha' | 'ahead' | 'behind'
      > & {
        conflicts: string[];
        at: number;
      },
    ) {
      await upsert(s.assignmentId, s.userId, s.forkId, {
        fork_sha: s.forkSha ?? null,
        template_sha: s.templateSha ?? null,
        ahead: s.ahead ?? null,
        behind: s.behind ?? null,
        conflicts: s.conflicts.length > 0 ? JSON.stringify(s.conflicts.slice(0, 50)) : null,
        checked_at: s.at,
      });
    },
    async saveUpdate(
      s: Pick<ForkState, 'assignmentId' | 'userId' | 'forkId'> & {
        status: string;
        message: string;
        at: number;
        /** All of labgate's merge commits on the fork, this one included. */
        mergedShas?: string[];
      },
    ) {
      await upsert(s.assignmentId, s.userId, s.forkId, {
        update_status: s.status,
        update_message: s.message.slice(0, 500),
        updated_at: s.at,
        ...(s.mergedShas ? { merged_sha: JSON.stringify(s.mergedShas.slice(-100)) } : {}),
      });
    },
    /** Counts a commit labgate made on the fork (FEEDBACK.md) as its own: never the learner's push. */
    async addOwnCommit(assignmentId: string, userId: string, forkId: number, sha: string) {
      const row = await db
        .selectFrom('fork_states')
        .select('merged_sha')
        .where('assignment_id', '=', assignmentId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      const shas = [...parseList(row?.merged_sha ?? null).filter((s) => s !== sha), sha];
      await upsert(assignmentId, userId, forkId, { merged_sha: JSON.stringify(shas.slice(-100)) });
    },
    async statesOf(assignmentId: string): Promise<ForkState[]> {
      const rows = await db
        .selectFrom('fork_states')
        .selectAll()
        .where('assignment_id', '=', assignmentId)
        .execute();
      return rows.map(toState);
    },
  };
}

export type ForkStateStore = ReturnType<typeof createForkStateStore>;
