import type { Forge } from '../forge/index.ts';
import {
  forgeRefsOf,
  type PersonRecords,
  type PersonRecordStore,
  type PersonScope,
  type UserStore,
} from '../identity/index.ts';

/** A learner's workspace as the container engine and the storage know it. */
export interface WorkspaceCleanup {
  /** What would go: the container's name and where the files live. */
  describe(userId: string, assignment: string): { container: string; storage: string[] };
  /** Removes the container (if any), then the files, for good. */
  remove(userId: string, assignment: string): Promise<void>;
}

export interface ErasureDeps {
  records: Pick<PersonRecordStore, 'collect' | 'erase'>;
  users: Pick<UserStore, 'setDisabled'>;
  /** Absent when no forge is configured: a person with forks or an account there cannot be erased. */
  forge?: Pick<Forge, 'findUser' | 'findProject' | 'deleteUser' | 'eraseProject'>;
  /** Absent when this process has no container engine: a person with workspaces cannot be erased. */
  workspaces?: WorkspaceCleanup;
}

/** What an erasure removes, listed by the dry run and done by {@link executeErasure}. */
export interface ErasurePlan {
  scope: PersonScope;
  /** Rows per table in labgate's database. */
  records: PersonRecords;
  /** The forks on the forge (`path` undefined: already gone, or not looked up without a forge). */
  forks: Array<{ id: number; path: string | undefined }>;
  /** The person's GitLab account (only when the whole person goes). */
  forgeAccount: { id: number; username: string } | undefined;
  workspaces: Array<{ assignment: string; container: string; storage: string[] }>;
}

export interface ErasureReport {
  /** What could not be removed; labgate's records are then kept so that running it again finishes. */
  failed: Array<{ what: string; error: string }>;
}

function forkIdsOf(records: PersonRecords): number[] {
  const ids = new Set<number>();
  for (const row of records.tables.provisionings ?? []) {
    const id = forgeRefsOf(row.state).forkId;
    if (id !== undefined) ids.add(id);
  }
  for (const table of ['fork_states', 'submissions', 'grading_jobs'])
    for (const row of records.tables[table] ?? []) if (typeof row.fork_id === 'number') ids.add(row.fork_id);
  return [...ids].sort((a, b) => a - b);
}

/** Looks everything up and changes nothing: the dry run prints this. */
export async function planErasure(deps: ErasureDeps, scope: PersonScope): Promise<ErasurePlan> {
  const records = await deps.records.collect(scope);
  const forks: ErasurePlan['forks'] = [];
  for (const id of forkIdsOf(records))
    forks.push({ id, path: (await deps.forge?.findProject(id))?.pathWithNamespace });
  let forgeAccount: ErasurePlan['forgeAccount'];
  if (!scope.courseId) {
    const known = (records.tables.provisionings ?? [])
      .map((r) => forgeRefsOf(r.state).forgeUser)
      .find(Boolean);
    forgeAccount = (await deps.forge?.findUser(scope.userId)) ?? known;
  }
  const workspaces = (records.tables.workspaces ?? []).map((w) => {
    const assignment = String(w.assignment_slug);
    const where = deps.workspaces?.describe(scope.userId, assignment);
    return { assignment, container: where?.container ?? '', storage: where?.storage ?? [] };
  });
  return { scope, records, forks, forgeAccount, workspaces };
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Erases what the plan lists: the person is disabled first (no launch nor sign-in meanwhile), then
 * their workspaces, forks and GitLab account go, then labgate's records, last, and only when all the
 * rest went: a failure leaves them for the next run to find. Grades the LMS already has stay there.
 */
export async function executeErasure(deps: ErasureDeps, plan: ErasurePlan): Promise<ErasureReport> {
  const { userId } = plan.scope;
  const failed: ErasureReport['failed'] = [];
  const attempt = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      failed.push({ what, error: message(err) });
    }
  };
  if (!plan.scope.courseId) await deps.users.setDisabled(userId, true);
  for (const w of plan.workspaces) {
    const cleanup = deps.workspaces;
    await attempt(`workspace ${w.assignment}`, async () => {
      if (!cleanup)
        throw new Error(
          'no container engine here: run this command with the server’s workspace settings (WORKSPACE_IMAGE, DOCKER_SOCKET, WORKSPACES_ROOT)',
        );
      await cleanup.remove(userId, w.assignment);
    });
  }
  const forge = deps.forge;
  const needForge = () => {
    if (!forge) throw new Error('no forge configured: set FORGE_URL and FORGE_TOKEN as the server has them');
    return forge;
  };
  for (const f of plan.forks) await attempt(`fork ${f.path ?? f.id}`, () => needForge().eraseProject(f.id));
  const account = plan.forgeAccount;
  if (account) await attempt(`GitLab account ${account.username}`, () => needForge().deleteUser(account.id));
  if (failed.length === 0) await deps.records.erase(plan.scope);
  return { failed };
}

/** Rows per table, for a person to read. */
export const recordCounts = (records: PersonRecords): Record<string, number> =>
  Object.fromEntries(Object.entries(records.tables).map(([t, rows]) => [t, rows.length]));
