import { z } from 'zod';
import type { Db, GradeTargetRow } from '../db/index.ts';

/** Where one learner's grade for one assignment goes back, as their newest launch said. */
export type GradeTarget = {
  assignmentId: string;
  userId: string;
  /** `lti11:<consumer key>` or `lti13:<issuer>`. */
  lmsKey: string;
  resourceLinkId: string;
  updatedAt: number;
} & (
  | { version: '1.1'; outcomeUrl: string; sourcedId: string }
  | {
      version: '1.3';
      /** The learner's `sub` at the platform: AGS scores name them by it. */
      ltiUserId: string;
      /** labgate's client id at the platform (from the learner's identity), when known. */
      clientId: string | undefined;
      scopes: string[];
      lineitems: string | undefined;
      lineitem: string | undefined;
    }
);

/** What a launch stores: the target without its time (the store stamps it). */
export type GradeTargetInput =
  | {
      assignmentId: string;
      userId: string;
      lmsKey: string;
      resourceLinkId: string;
      service: { kind: 'outcomes'; serviceUrl: string; sourcedId: string };
    }
  | {
      assignmentId: string;
      userId: string;
      lmsKey: string;
      resourceLinkId: string;
      ltiUserId: string;
      service: { kind: 'ags'; scopes: string[]; lineitems?: string; lineitem?: string };
    };

const scopeList = z.array(z.string());
const scopesOf = (text: string | null): string[] => {
  try {
    const parsed = scopeList.safeParse(JSON.parse(text ?? '[]'));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
};

function toTarget(r: GradeTargetRow & { client_id: string | null }): GradeTarget | undefined {
  const base = {
    assignmentId: r.assignment_id,
    userId: r.user_id,
    lmsKey: r.lms_key,
    resourceLinkId: r.resource_link_id,
    updatedAt: Number(r.updated_at),
  };
  if (r.version === '1.1')
    return r.outcome_url && r.sourcedid
      ? { ...base, version: '1.1', outcomeUrl: r.outcome_url, sourcedId: r.sourcedid }
      : undefined;
  if (!r.lti_user_id) return undefined;
  return {
    ...base,
    version: '1.3',
    ltiUserId: r.lti_user_id,
    clientId: r.client_id ?? undefined,
    scopes: scopesOf(r.ags_scopes),
    lineitems: r.ags_lineitems ?? undefined,
    lineitem: r.ags_lineitem ?? undefined,
  };
}

/** grade_targets: one row per (assignment, learner), replaced by each launch that carries a service. */
export function createGradeTargetStore(db: Db, now: () => number = Date.now) {
  async function saveTarget(t: GradeTargetInput): Promise<void> {
    const s = t.service;
    const row = {
      version: s.kind === 'outcomes' ? ('1.1' as const) : ('1.3' as const),
      lms_key: t.lmsKey,
      resource_link_id: t.resourceLinkId,
      outcome_url: s.kind === 'outcomes' ? s.serviceUrl : null,
      sourcedid: s.kind === 'outcomes' ? s.sourcedId : null,
      lti_user_id: 'ltiUserId' in t ? t.ltiUserId : null,
      ags_lineitems: s.kind === 'ags' ? (s.lineitems ?? null) : null,
      ags_lineitem: s.kind === 'ags' ? (s.lineitem ?? null) : null,
      ags_scopes: s.kind === 'ags' ? JSON.stringify(s.scopes) : null,
      updated_at: now(),
    };
    await db
      .insertInto('grade_targets')
      .values({ assignment_id: t.assignmentId, user_id: t.userId, ...row })
      .onConflict((c) => c.columns(['assignment_id', 'user_id']).doUpdateSet(row))
      .execute();
  }

  /** labgate's client id at a 1.3 target's platform: the one its learner launched with (issuer and sub). */
  async function clientIdOf(r: GradeTargetRow): Promise<string | null> {
    if (r.version !== '1.3' || !r.lti_user_id) return null;
    const ids = await db
      .selectFrom('user_identities')
      .select(['issuer', 'client_id'])
      .where('user_id', '=', r.user_id)
      .where('kind', '=', 'lti13')
      .where('subject', '=', r.lti_user_id)
      .execute();
    const matching = ids.filter((i) => `lti13:${i.issuer}` === r.lms_key);
    return matching.length === 1 ? matching[0]!.client_id : null;
  }

  async function findTarget(assignmentId: string, userId: string): Promise<GradeTarget | undefined> {
    const row = await db
      .selectFrom('grade_targets')
      .selectAll()
      .where('assignment_id', '=', assignmentId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toTarget({ ...row, client_id: await clientIdOf(row) });
  }

  /** The learners of an assignment whose grade has somewhere to go. */
  async function linkedLearners(assignmentId: string): Promise<Set<string>> {
    const rows = await db
      .selectFrom('grade_targets')
      .select('user_id')
      .where('assignment_id', '=', assignmentId)
      .execute();
    return new Set(rows.map((r) => r.user_id));
  }

  return { saveTarget, findTarget, linkedLearners };
}

export type GradeTargetStore = ReturnType<typeof createGradeTargetStore>;
