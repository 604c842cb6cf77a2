import type { Db } from '../db/index.ts';

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
}

interface ForkState {
  forgeUser?: { username?: string };
  fork?: { pathWithNamespace?: string; webUrl?: string };
}

const parse = (text: string): ForkState => {
  try {
    return JSON.parse(text) as ForkState;
  } catch {
    return {};
  }
};

/**
 * The roster of an assignment: every learner of the course with their fork, workspace and latest
 * grade. A handful of queries whatever the class size (a MOOC has thousands), joined here.
 */
export function createRosterStore(db: Db, forgeUrl?: string) {
  // Fork links follow the forge's URL now (an embedded forge on another port, a GitLab that moved).
  const base = forgeUrl?.replace(/\/+$/, '');
  return async function roster(
    courseId: string,
    assignment: { id: string; slug: string },
  ): Promise<RosterRow[]> {
    const [learners, identities, jobs, workspaces, grades] = await Promise.all([
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
    ]);
    const subject = new Map(identities.map((i) => [i.user_id, i.subject]));
    const key = (userId: string) => `fork:${userId}:${courseId}:${assignment.slug}`;
    const job = new Map(jobs.filter((j) => j.job_key === key(j.user_id)).map((j) => [j.user_id, j]));
    const workspace = new Map(workspaces.map((w) => [w.user_id, w.status]));
    const grade = new Map<string, (typeof grades)[number]>();
    for (const g of grades)
      if ((g.finished_at ?? 0) >= (grade.get(g.user_id)?.finished_at ?? -1)) grade.set(g.user_id, g);
    return learners.map((l) => {
      const j = job.get(l.id);
      const state = j ? parse(j.state) : {};
      const g = grade.get(l.id);
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
      };
    });
  };
}

export type RosterStore = ReturnType<typeof createRosterStore>;
