import { randomUUID } from 'node:crypto';
import type { Db, ProvisioningRow } from '../../db/index.ts';
import type { ForgeGroup } from '../forge.ts';
import { forgeLinks } from './forge-links.ts';
import {
  provisionSpec,
  provisionState,
  type Provisioning,
  type ProvisionSpec,
  type ProvisionState,
  type ProvisionStatus,
  type ProvisionStep,
} from './provisioning-model.ts';

const toProvisioning = (r: ProvisioningRow, links: ReturnType<typeof forgeLinks>): Provisioning => ({
  id: r.id,
  kind: r.kind as Provisioning['kind'],
  userId: r.user_id,
  status: r.status as ProvisionStatus,
  step: r.step as ProvisionStep,
  spec: provisionSpec.parse(JSON.parse(r.spec)),
  state: links.state(provisionState.parse(JSON.parse(r.state))),
  attempts: r.attempts,
  error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : undefined,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at ?? undefined,
});

export const jobKey = (spec: ProvisionSpec, userId: string) =>
  spec.kind === 'fork'
    ? `fork:${userId}:${spec.course.id}:${spec.assignment.slug}`
    : `staff:${userId}:${spec.course.id}`;

/**
 * Provisioning jobs in the database: one row per (learner, assignment), leased by one worker at a time.
 * Forge addresses are read rebased onto `forgeUrl`, the forge's URL now (it may have moved since).
 */
export function createProvisioningStore(db: Db, now: () => number, forgeUrl: string) {
  const links = forgeLinks(forgeUrl);
  const toJob = (r: ProvisioningRow) => toProvisioning(r, links);
  const byKey = (key: string) =>
    db.selectFrom('provisionings').selectAll().where('job_key', '=', key).executeTakeFirst();

  async function get(id: string): Promise<Provisioning | undefined> {
    const row = await db.selectFrom('provisionings').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toJob(row);
  }

  /**
   * The job for this learner and assignment, made on first call. A failed job is queued again (a
   * relaunch is how a person retries); a queued, running or done one is left as it is.
   */
  async function enqueue(userId: string, spec: ProvisionSpec): Promise<Provisioning> {
    const key = jobKey(spec, userId);
    const t = now();
    await db
      .insertInto('provisionings')
      .values({
        id: randomUUID(),
        job_key: key,
        kind: spec.kind,
        user_id: userId,
        spec: JSON.stringify(spec),
        status: 'queued',
        step: 'account',
        state: JSON.stringify(provisionState.parse({})),
        attempts: 0,
        next_run_at: t,
        created_at: t,
        updated_at: t,
      })
      .onConflict((oc) => oc.column('job_key').doNothing())
      .execute();
    await db
      .updateTable('provisionings')
      .set({
        status: 'queued',
        attempts: 0,
        next_run_at: t,
        error_code: null,
        error_message: null,
        updated_at: t,
      })
      .where('job_key', '=', key)
      .where('status', '=', 'failed')
      .execute();
    return toJob((await byKey(key))!);
  }

  /** Takes up to `limit` due jobs for `owner`: queued ones, and running ones whose lease ran out (a crash). */
  async function claim(owner: string, limit: number, leaseMs: number): Promise<Provisioning[]> {
    const t = now();
    const due = await db
      .selectFrom('provisionings')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('next_run_at', '<=', t)]),
          eb.and([eb('status', '=', 'running'), eb('lease_until', '<', t)]),
        ]),
      )
      .orderBy('next_run_at')
      .limit(limit)
      .execute();
    const claimed: Provisioning[] = [];
    for (const { id } of due) {
      // Only one process wins a row: the update re-checks that it is still free.
      const result = await db
        .updateTable('provisionings')
        .set({ status: 'running', lease_owner: owner, lease_until: t + leaseMs, updated_at: t })
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'queued'), eb('next_run_at', '<=', t)]),
            eb.and([eb('status', '=', 'running'), eb('lease_until', '<', t)]),
          ]),
        )
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) claimed.push((await get(id))!);
    }
    return claimed;
  }

  /** Writes a job's progress while `owner` still holds it; false when the lease was lost. */
  async function save(
    id: string,
    owner: string,
    change: {
      status: ProvisionStatus;
      step: ProvisionStep;
      state: ProvisionState;
      attempts?: number;
      nextRunAt?: number;
      leaseUntil?: number;
      error?: { code: string; message: string } | null;
    },
  ): Promise<boolean> {
    const t = now();
    const held = change.status === 'running';
    const result = await db
      .updateTable('provisionings')
      .set({
        status: change.status,
        step: change.step,
        state: JSON.stringify(change.state),
        ...(change.attempts !== undefined ? { attempts: change.attempts } : {}),
        ...(change.nextRunAt !== undefined ? { next_run_at: change.nextRunAt } : {}),
        ...(change.error !== undefined
          ? { error_code: change.error?.code ?? null, error_message: change.error?.message ?? null }
          : {}),
        lease_owner: held ? owner : null,
        lease_until: held ? (change.leaseUntil ?? null) : null,
        updated_at: t,
        ...(change.status === 'done' || change.status === 'failed' ? { finished_at: t } : {}),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async function renewLease(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const result = await db
      .updateTable('provisionings')
      .set({ lease_until: now() + leaseMs })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async function countByStatus(): Promise<Record<string, number>> {
    const rows = await db
      .selectFrom('provisionings')
      .select(['status', db.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** The group a course was given first; every later job of the course uses it, whatever its name now. */
  async function courseGroup(courseId: string): Promise<ForgeGroup | undefined> {
    const row = await db
      .selectFrom('forge_course_groups')
      .selectAll()
      .where('course_id', '=', courseId)
      .executeTakeFirst();
    return row && links.group({ id: row.group_id, fullPath: row.full_path, webUrl: row.web_url });
  }

  async function rememberCourseGroup(courseId: string, g: ForgeGroup): Promise<ForgeGroup> {
    await db
      .insertInto('forge_course_groups')
      .values({
        course_id: courseId,
        group_id: g.id,
        full_path: g.fullPath,
        web_url: g.webUrl,
        created_at: now(),
      })
      .onConflict((oc) => oc.column('course_id').doNothing())
      .execute();
    return (await courseGroup(courseId))!;
  }

  async function listForUser(userId: string): Promise<Provisioning[]> {
    const rows = await db
      .selectFrom('provisionings')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return rows.map(toJob);
  }

  /** The finished forks of one assignment, one per learner. */
  async function listForks(courseId: string, slug: string): Promise<Provisioning[]> {
    const rows = await db
      .selectFrom('provisionings')
      .selectAll()
      .where('kind', '=', 'fork')
      .where('status', '=', 'done')
      .orderBy('created_at')
      .execute();
    return rows
      .map(toJob)
      .filter(
        (j) => j.spec.kind === 'fork' && j.spec.course.id === courseId && j.spec.assignment.slug === slug,
      );
  }

  return {
    get,
    listForUser,
    listForks,
    enqueue,
    claim,
    save,
    renewLease,
    countByStatus,
    courseGroup,
    rememberCourseGroup,
  };
}

export type ProvisioningStore = ReturnType<typeof createProvisioningStore>;
