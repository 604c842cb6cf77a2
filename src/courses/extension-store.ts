import type { Db } from '../db/index.ts';

/** Per-learner deadlines (extensions) of assignments. */
export function createExtensionStore(db: Db, now: () => number = Date.now) {
  async function setExtension(assignmentId: string, userId: string, deadline: number): Promise<void> {
    await db
      .insertInto('assignment_extensions')
      .values({ assignment_id: assignmentId, user_id: userId, deadline, created_at: now() })
      .onConflict((c) => c.columns(['assignment_id', 'user_id']).doUpdateSet({ deadline, created_at: now() }))
      .execute();
  }

  async function removeExtension(assignmentId: string, userId: string): Promise<void> {
    await db
      .deleteFrom('assignment_extensions')
      .where('assignment_id', '=', assignmentId)
      .where('user_id', '=', userId)
      .execute();
  }

  async function extensionsOf(assignmentId: string): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('assignment_extensions')
      .select(['user_id', 'deadline'])
      .where('assignment_id', '=', assignmentId)
      .execute();
    return new Map(rows.map((r) => [r.user_id, Number(r.deadline)]));
  }

  return { setExtension, removeExtension, extensionsOf };
}

export type ExtensionStore = ReturnType<typeof createExtensionStore>;
