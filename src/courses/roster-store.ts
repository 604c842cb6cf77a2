import type { Db, ForkStateRow, GradeOutboxRow } from '../db/index.ts';

/** One learner of one assignment, as their teacher sees them. */
export interface RosterRow {
  userId: string;
  name: string;
  email: string;
  /** The id the LMS knows them by (the LTI subject). */
  lmsId: string;
  gitlabUsername: string;
  forkPath: string;
  forkUrl: string;
  /** Their fork's provisioning: none (never launched this assignment), queued, running, done, failed. */
  provisioning: string;
  provisioningError: string;
  workspace: string;
  score: number | undefined;
  maxScore: number | undefined;
  gradedAt: number | undefined;
  /** The newest push the forge received from the learner (its clock), labgate's merges left out. */
  lastPushAt: number | undefined;
  /** Commits of the fork the template lacks, and of the template the fork lacks (last check). */
  ahead: number | undefined;
  behind: number | undefined;
  /** Against the template: up-to-date, behind (merges cleanly), conflict (would conflict), or unknown. */
  templateState: 'up-to-date' | 'behind' | 'conflict' | 'unknown';
  conflicts: string[];
  /** The last "Bring forks up to date": merged, up-to-date, conflict, moved, failed (with why). */
  updateResult: string;
  /** The learner's deadline (their extension, else the assignment's). */
  deadline: number | undefined;
  extended: boolean;
  /** What the forge had received by the deadline, once recorded. */
  submittedCommit: string;
  submittedAt: number | undefined;
  /** The newest push after the deadline, and how late it came. */
  latePushAt: number | undefined;
  lateByMs: number | undefined;
  /**
   * The grade on its way to the LMS: pending, sent, failed, `no-link` (no launch said where grades go)
   * or `none` (nothing queued yet).
   */
  lmsGrade: 'pending' | 'sent' | 'failed' | 'no-link' | 'none';
  lmsGradeSentAt: number | undefined;
  /** The LMS's answer to the last attempt (why it failed, or what it said on success). */
  lmsGradeAnswer: string;
}

/** Where a learner's grade for the LMS stands, from their outbox row and whether a launch linked them. */
function lmsGrade(
  row: { status: GradeOutboxRow['status']; sent_at: number | null; answer: string | null } | undefined,
  linked: boolean,
): Pick<RosterRow, 'lmsGrade' | 'lmsGradeSentAt' | 'lmsGradeAnswer'> {
  return {
    lmsGrade: row?.status ?? (linked ? 'none' : 'no-link'),
    lmsGradeSentAt: row?.status === 'sent' && row.sent_at !== null ? Number(row.sent_at) : undefined,
    lmsGradeAnswer: row?.answer ?? '',
  };
}

interface ForkJobState {
  forgeUser?: { username?: string };
  fork?: { id?: number; pathWithNamespace?: string; webUrl?: string; defaultBranch?: string };
}

const parse = (text: string): ForkJobState => {
  try {
    return JSON.parse(text) as ForkJobState;
  } catch {
    return {};
  }
};

const parseList = (text: string): string[] => {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

function templateState(f: ForkStateRow | undefined): RosterRow['templateState'] {
  if (!f || f.behind === null) return 'unknown';
  if (f.behind === 0) return 'up-to-date';
  return f.conflicts ? 'conflict' : 'behind';
}

/** Each fork's newest push as the forge timed it, labgate's own merges left out. */
async function lastPushes(db: Db, jobs: Array<{ state: string }>, states: ForkStateRow[]) {
  const ours = new Set(states.flatMap((s) => (s.merged_sha ? parseList(s.merged_sha) : [])));
  const ids = jobs.flatMap((j) => {
    const id = parse(j.state).fork?.id;
    return id === undefined ? [] : [id];
  });
  // A push may be reported twice (hook, then events API): its first sighting is when it arrived.
  const first = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('forge_pushes')
      .select(['project_id', 'after_sha', 'pushed_at'])
      .where('project_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      if (!r.after_sha || ours.has(r.after_sha)) continue;
      const key = `${r.project_id}:${r.after_sha}`;
      first.set(key, Math.min(first.get(key) ?? Infinity, Number(r.pushed_at)));
    }
  }
  const last = new Map<number, number>();
  for (const [key, at] of first) {
    const id = Number(key.split(':')[0]);
    if (at > (last.get(id) ?? 0)) last.set(id, at);
  }
  return last;
}

/**
 * The roster of an assignment: every learner of the course with their fork, workspace and latest
 * grade. A handful of queries whatever the class size (a MOOC has thousands), joined here.
 */
export function createRosterStore(db: Db, forgeUrl?: string) {
  // Fork links follow the forge's URL now (an embedded forge on another port, a GitLab that moved).
  const base = forgeUrl?.replace(/\/+$/, '');
  return async function roster(
    courseId: string,
    assignment: { id: string; slug: string; deadline?: number | undefined },
  ): Promise<RosterRow[]> {
    const [learners, identities, jobs, workspaces, grades, forkStates, submitted, extensions, outbox, links] =
      await Promise.all([
        db
          .selectFrom('enrolments')
          .innerJoin('users', 'users.id', 'enrolments.user_id')
          .select(['users.id', 'users.display_name', 'users.email'])
          .where('enrolments.course_id', '=', courseId)
          .where('enrolments.role', '=', 'learner')
          .execute(),
        db
          .selectFrom('user_identities')
          .innerJoin('enrolments', 'enrolments.user_id', 'user_identities.user_id')
          .select(['user_identities.user_id', 'user_identities.subject'])
          .where('enrolments.course_id', '=', courseId)
          .execute(),
        db
          .selectFrom('provisionings')
          .select(['user_id', 'job_key', 'status', 'state', 'error_message'])
          .where('kind', '=', 'fork')
          .where('job_key', 'like', `fork:%:${courseId}:%`)
          .execute(),
        db
          .selectFrom('workspaces')
          .select(['user_id', 'status'])
          .where('course_id', '=', courseId)
          .where('assignment_slug', '=', assignment.slug)
          .execute(),
        db
          .selectFrom('grading_jobs')
          .select(['user_id', 'score', 'max_score', 'finished_at'])
          .where('assignment_id', '=', assignment.id)
          .where('status', '=', 'done')
          .execute(),
        db.selectFrom('fork_states').selectAll().where('assignment_id', '=', assignment.id).execute(),
        db.selectFrom('submissions').selectAll().where('assignment_id', '=', assignment.id).execute(),
        db
          .selectFrom('assignment_extensions')
          .select(['user_id', 'deadline'])
          .where('assignment_id', '=', assignment.id)
          .execute(),
        db
          .selectFrom('grade_outbox')
          .select(['user_id', 'status', 'sent_at', 'answer'])
          .where('assignment_id', '=', assignment.id)
          .execute(),
        db.selectFrom('grade_targets').select('user_id').where('assignment_id', '=', assignment.id).execute(),
      ]);
    const subject = new Map(identities.map((i) => [i.user_id, i.subject]));
    const key = (userId: string) => `fork:${userId}:${courseId}:${assignment.slug}`;
    const job = new Map(jobs.filter((j) => j.job_key === key(j.user_id)).map((j) => [j.user_id, j]));
    const workspace = new Map(workspaces.map((w) => [w.user_id, w.status]));
    const forkState = new Map(forkStates.map((f) => [f.user_id, f]));
    const submission = new Map(submitted.map((x) => [x.user_id, x]));
    const extension = new Map(extensions.map((x) => [x.user_id, Number(x.deadline)]));
    const toLms = new Map(outbox.map((x) => [x.user_id, x]));
    const linked = new Set(links.map((x) => x.user_id));
    const lastPush = await lastPushes(db, [...job.values()], forkStates);
    const grade = new Map<string, (typeof grades)[number]>();
    for (const g of grades)
      if ((g.finished_at ?? 0) >= (grade.get(g.user_id)?.finished_at ?? -1)) grade.set(g.user_id, g);
    return learners.map((l) => {
      const j = job.get(l.id);
      const state = j ? parse(j.state) : {};
      const g = grade.get(l.id);
      const f = forkState.get(l.id);
      const sub = submission.get(l.id);
      const deadline = extension.get(l.id) ?? assignment.deadline;
      return {
        userId: l.id,
        name: l.display_name ?? '',
        email: l.email ?? '',
        lmsId: subject.get(l.id) ?? '',
        gitlabUsername: state.forgeUser?.username ?? '',
        forkPath: state.fork?.pathWithNamespace ?? '',
        forkUrl:
          state.fork?.pathWithNamespace && base
            ? `${base}/${state.fork.pathWithNamespace}`
            : (state.fork?.webUrl ?? ''),
        provisioning: j?.status ?? 'none',
        provisioningError: j?.error_message ?? '',
        workspace: workspace.get(l.id) ?? 'none',
        score: g?.score ?? undefined,
        maxScore: g?.max_score ?? undefined,
        gradedAt: g?.finished_at ?? undefined,
        lastPushAt: state.fork?.id === undefined ? undefined : lastPush.get(state.fork.id),
        ahead: f?.ahead ?? undefined,
        behind: f?.behind ?? undefined,
        templateState: templateState(f),
        conflicts: f?.conflicts ? parseList(f.conflicts) : [],
        updateResult: f?.update_status
          ? `${f.update_status}${f.update_message ? `: ${f.update_message}` : ''}`
          : '',
        deadline,
        extended: extension.has(l.id),
        submittedCommit: sub?.commit_sha ?? '',
        submittedAt: sub?.pushed_at === null || !sub ? undefined : Number(sub.pushed_at),
        latePushAt: sub?.late_pushed_at === null || !sub ? undefined : Number(sub.late_pushed_at),
        lateByMs:
          sub?.late_pushed_at === null || !sub
            ? undefined
            : Number(sub.late_pushed_at) - Number(sub.deadline),
        ...lmsGrade(toLms.get(l.id), linked.has(l.id)),
      };
    });
  };
}

export type RosterStore = ReturnType<typeof createRosterStore>;
