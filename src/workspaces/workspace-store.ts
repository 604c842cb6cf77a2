import { randomBytes } from 'node:crypto';
import type { Db, WorkspaceRow } from '../db/index.ts';

/** starting → running; stopped by the culler or the learner; failed with a message and a retry. */
export type WorkspaceStatus = 'starting' | 'running' | 'stopped' | 'failed';
export type WorkspaceStep = 'forge' | 'clone' | 'container' | 'ready';

export interface Workspace {
  id: string;
  userId: string;
  courseId: string;
  assignment: string;
  provisioningId: string;
  token: string;
  status: WorkspaceStatus;
  step: WorkspaceStep;
  error: string | undefined;
  target: string | undefined;
  /** What the last launch asked for: resumed as asked after a restart. */
  image: string | undefined;
  person: { name: string; email: string } | undefined;
  /** The files it asked to open, first found first (the link's, the assignment's). */
  openAsked: string[];
  /** The file JupyterLab opens when the learner enters (relative to their folder). */
  openPath: string | undefined;
  lastActivityAt: number;
}

const toWorkspace = (r: WorkspaceRow): Workspace => ({
  id: r.id,
  userId: r.user_id,
  courseId: r.course_id,
  assignment: r.assignment_slug,
  provisioningId: r.provisioning_id,
  token: r.token,
  status: r.status as WorkspaceStatus,
  step: r.step as WorkspaceStep,
  error: r.error ?? undefined,
  target: r.target ?? undefined,
  image: r.image ?? undefined,
  person: r.person_name !== null ? { name: r.person_name, email: r.person_email ?? '' } : undefined,
  openAsked: asked(r.open_asked),
  openPath: r.open_path ?? undefined,
  lastActivityAt: r.last_activity_at,
});

/** The stored list of files to open; anything else (an older row, a damaged value) is none. */
function asked(json: string | null): string[] {
  try {
    const list: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

export function createWorkspaceStore(db: Db, now: () => number = Date.now) {
  async function find(id: string): Promise<Workspace | undefined> {
    const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toWorkspace(row);
  }

  /** The workspace row for this learner and assignment, made on first launch with a fresh token. */
  async function ensure(o: {
    id: string;
    userId: string;
    courseId: string;
    assignment: string;
    provisioningId: string;
  }) {
    const t = now();
    await db
      .insertInto('workspaces')
      .values({
        id: o.id,
        user_id: o.userId,
        course_id: o.courseId,
        assignment_slug: o.assignment,
        provisioning_id: o.provisioningId,
        token: randomBytes(24).toString('hex'),
        status: 'stopped',
        step: 'forge',
        last_activity_at: t,
        created_at: t,
        updated_at: t,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return (await find(o.id))!;
  }

  async function update(
    id: string,
    change: {
      status: WorkspaceStatus;
      step?: WorkspaceStep;
      error?: string | null;
      target?: string | null;
      openPath?: string | null;
      request?: { image: string; person: { name: string; email: string }; open?: Array<string | undefined> };
    },
  ) {
    await db
      .updateTable('workspaces')
      .set({
        status: change.status,
        ...(change.step ? { step: change.step } : {}),
        ...(change.error !== undefined ? { error: change.error } : {}),
        ...(change.target !== undefined ? { target: change.target } : {}),
        ...(change.openPath !== undefined ? { open_path: change.openPath } : {}),
        ...(change.request
          ? {
              image: change.request.image,
              person_name: change.request.person.name,
              person_email: change.request.person.email,
              open_asked: JSON.stringify((change.request.open ?? []).filter(Boolean)),
            }
          : {}),
        updated_at: now(),
      })
      .where('id', '=', id)
      .execute();
    return (await find(id))!;
  }

  async function touch(id: string, at = now()) {
    await db.updateTable('workspaces').set({ last_activity_at: at }).where('id', '=', id).execute();
  }

  async function idleSince(cutoff: number): Promise<Workspace[]> {
    const rows = await db
      .selectFrom('workspaces')
      .selectAll()
      .where('status', '=', 'running')
      .where('last_activity_at', '<', cutoff)
      .execute();
    return rows.map(toWorkspace);
  }

  /**
   * Marks a running workspace stopped if it is still idle since `cutoff`: false when the learner came
   * back (or another pass took it) in the meantime, so the culler never stops a workspace in use.
   */
  async function markStoppedIfIdle(id: string, cutoff: number): Promise<boolean> {
    const result = await db
      .updateTable('workspaces')
      .set({ status: 'stopped', target: null, updated_at: now() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('last_activity_at', '<', cutoff)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Workspaces whose launch was under way when labgate stopped (a crash, `kill -9`, a restart). */
  async function interrupted(): Promise<Workspace[]> {
    const rows = await db.selectFrom('workspaces').selectAll().where('status', '=', 'starting').execute();
    return rows.map(toWorkspace);
  }

  async function countRunning(): Promise<number> {
    const row = await db
      .selectFrom('workspaces')
      .select(db.fn.countAll<number>().as('n'))
      .where('status', 'in', ['running', 'starting'])
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The learner's most recently used workspace in a course. */
  async function findFor(userId: string, courseId: string): Promise<Workspace | undefined> {
    const row = await db
      .selectFrom('workspaces')
      .selectAll()
      .where('user_id', '=', userId)
      .where('course_id', '=', courseId)
      .orderBy('updated_at', 'desc')
      .executeTakeFirst();
    return row && toWorkspace(row);
  }

  return { find, findFor, ensure, update, touch, idleSince, markStoppedIfIdle, countRunning, interrupted };
}

export type WorkspaceStore = ReturnType<typeof createWorkspaceStore>;
