import type { Kysely } from 'kysely';
import type { Db } from '../db/index.ts';

export type PersonRow = Record<string, unknown>;
type Loose = Kysely<Record<string, PersonRow>>;

/** `column IN values` for every pair: the rows of `table` that name the person. */
interface Selector {
  table: string;
  where: Array<[string, unknown[]]>;
}

/** A whole person, or only what one course holds on them (`courseId`). */
export interface PersonScope {
  userId: string;
  courseId?: string;
}

/** Everything labgate's database holds on a person within a scope, table by table, as stored. */
export interface PersonRecords {
  tables: Record<string, PersonRow[]>;
  /** Rows about other people that this person wrote as a grader: kept, their name taken out on erasure. */
  authored: Record<string, PersonRow[]>;
}

// Tables naming a person by user_id, by what ties a row to one course.
const courseTables = ['enrolments', 'sessions', 'workspaces', 'lti13_deep_linking_requests'];
const assignmentTables = [
  'grading_jobs',
  'assignment_extensions',
  'fork_states',
  'submissions',
  'grade_targets',
  'grade_outbox',
  'review_scores',
  'review_comments',
  'feedback_deliveries',
];
// What a grader's rows keep in place of an erased person's id.
export const erasedAuthor = 'erased';
const authorColumns: Array<[string, string]> = [
  ['review_scores', 'graded_by'],
  ['review_comments', 'author_id'],
];

const parsed = (json: unknown): Record<string, unknown> => {
  try {
    const v: unknown = JSON.parse(String(json));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** The numbers of forks and forge accounts a provisioning row's state names. */
export function forgeRefsOf(state: unknown): {
  forkId?: number;
  forgeUser?: { id: number; username: string };
} {
  const s = parsed(state);
  const fork = s.fork as { id?: unknown } | undefined;
  const user = s.forgeUser as { id?: unknown; username?: unknown } | undefined;
  return {
    ...(typeof fork?.id === 'number' ? { forkId: fork.id } : {}),
    ...(typeof user?.id === 'number' && typeof user.username === 'string'
      ? { forgeUser: { id: user.id, username: user.username } }
      : {}),
  };
}

/**
 * What labgate's database holds on a person, found, exported and erased by the same selectors, so
 * that what `users show` lists is exactly what `users erase` removes.
 */
export function createPersonRecordStore(db: Db) {
  const loose = db as unknown as Loose;
  const filled = (s: Selector) => s.where.every(([, values]) => values.length > 0);

  async function rowsOf(s: Selector): Promise<PersonRow[]> {
    if (!filled(s)) return [];
    let q = loose.selectFrom(s.table).selectAll();
    for (const [column, values] of s.where) q = q.where(column, 'in', values);
    return q.execute();
  }

  const column = async (s: Selector, name: string) => (await rowsOf(s)).map((r) => r[name]);

  async function selectors(scope: PersonScope): Promise<Selector[]> {
    const { userId, courseId } = scope;
    const user: [string, unknown[]] = ['user_id', [userId]];
    const assignments = courseId
      ? (await db.selectFrom('assignments').select('id').where('course_id', '=', courseId).execute()).map(
          (r) => r.id,
        )
      : undefined;
    const list: Selector[] = [
      ...courseTables.map((table) => ({
        table,
        where: courseId ? [user, ['course_id', [courseId]] as [string, unknown[]]] : [user],
      })),
      ...assignmentTables.map((table) => ({
        table,
        where: assignments ? [user, ['assignment_id', assignments] as [string, unknown[]]] : [user],
      })),
    ];
    const jobs = (
      await db
        .selectFrom('provisionings')
        .select(['id', 'job_key', 'state'])
        .where('user_id', '=', userId)
        .execute()
    ).filter(
      (j) =>
        !courseId ||
        j.job_key.startsWith(`fork:${userId}:${courseId}:`) ||
        j.job_key === `staff:${userId}:${courseId}`,
    );
    list.push({ table: 'provisionings', where: [['id', jobs.map((j) => j.id)]] });
    const find = (table: string) => list.find((s) => s.table === table)!;
    const forkIds = new Set<unknown>(jobs.map((j) => forgeRefsOf(j.state).forkId).filter(Boolean));
    for (const table of ['fork_states', 'submissions', 'grading_jobs'])
      for (const id of await column(find(table), 'fork_id')) forkIds.add(id);
    list.push(
      { table: 'grading_results', where: [['job_id', await column(find('grading_jobs'), 'id')]] },
      { table: 'workspace_passes', where: [['session_hash', await column(find('sessions'), 'id_hash')]] },
      { table: 'workspace_passes', where: [['workspace_id', await column(find('workspaces'), 'id')]] },
      { table: 'forge_pushes', where: [['project_id', [...forkIds]]] },
    );
    if (courseId) return list;
    const usernames = jobs.map((j) => forgeRefsOf(j.state).forgeUser?.username).filter(Boolean);
    const oidc = await oidcRecordsOf(userId);
    list.push(
      { table: 'forge_pushes', where: [['author', usernames]] },
      { table: 'oidc_records', where: [['id', oidc.ids]] },
      { table: 'oidc_records', where: [['grant_id', oidc.grants]] },
      { table: 'user_identities', where: [user] },
      { table: 'users', where: [['id', [userId]]] },
    );
    return list;
  }

  /** oidc-provider's records (sessions, grants, codes, tokens) whose accountId is the person, and their grants' tokens. */
  async function oidcRecordsOf(userId: string) {
    const rows = await db
      .selectFrom('oidc_records')
      .select(['model', 'id', 'payload', 'grant_id'])
      .where('payload', 'like', `%${userId}%`)
      .execute();
    const mine = rows.filter((r) => parsed(r.payload).accountId === userId);
    const grants = mine.flatMap((r) => [r.grant_id, r.model === 'Grant' ? r.id : null]);
    return {
      ids: mine.map((r) => r.id),
      grants: [...new Set(grants.filter((g): g is string => Boolean(g)))],
    };
  }

  async function collect(scope: PersonScope): Promise<PersonRecords> {
    const tables: Record<string, PersonRow[]> = {};
    for (const s of await selectors(scope)) {
      const seen = new Set((tables[s.table] ??= []).map((r) => JSON.stringify(r)));
      for (const row of await rowsOf(s)) if (!seen.has(JSON.stringify(row))) tables[s.table]!.push(row);
    }
    const authored: Record<string, PersonRow[]> = {};
    if (!scope.courseId)
      for (const [table, col] of authorColumns) {
        const rows = await rowsOf({ table, where: [[col, [scope.userId]]] });
        const others = rows.filter((r) => r.user_id !== scope.userId);
        if (others.length) authored[table] = others;
      }
    for (const t of Object.keys(tables)) if (tables[t]!.length === 0) delete tables[t];
    return { tables, authored };
  }

  /** Deletes every row of the scope in one transaction (children first); grader rows lose the name. */
  async function erase(scope: PersonScope): Promise<void> {
    const list = await selectors(scope);
    await db.transaction().execute(async (trx) => {
      const t = trx as unknown as Loose;
      for (const s of list) {
        if (!filled(s)) continue;
        let q = t.deleteFrom(s.table);
        for (const [col, values] of s.where) q = q.where(col, 'in', values);
        await q.execute();
      }
      if (!scope.courseId)
        for (const [table, col] of authorColumns)
          await t.updateTable(table).set(col, erasedAuthor).where(col, '=', scope.userId).execute();
    });
  }

  return { collect, erase };
}

export type PersonRecordStore = ReturnType<typeof createPersonRecordStore>;
