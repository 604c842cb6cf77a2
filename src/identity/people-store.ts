import type { Db } from '../db/index.ts';
import { forgeRefsOf } from './person-records-store.ts';

/** A person as `labgate users list` shows them: who, how the LMSs name them, which courses. */
export interface PersonSummary {
  id: string;
  name: string | undefined;
  email: string | undefined;
  disabled: boolean;
  createdAt: number;
  identities: Array<{ kind: string; issuer: string; clientId: string; subject: string }>;
  courses: Array<{ courseId: string; role: string }>;
}

/** A learner of a course and the last time they did anything in it (launch, workspace, push). */
export interface CourseLearner {
  userId: string;
  lastActiveAt: number;
  /** Courses other than this one they are enrolled in. */
  otherCourses: number;
}

const chunks = <T>(list: T[], size = 500) =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

export function createPeopleStore(db: Db) {
  async function summaries(ids: string[]): Promise<PersonSummary[]> {
    const out: PersonSummary[] = [];
    for (const part of chunks(ids)) {
      const users = await db
        .selectFrom('users')
        .selectAll()
        .where('id', 'in', part)
        .orderBy('created_at')
        .execute();
      const identities = await db
        .selectFrom('user_identities')
        .selectAll()
        .where('user_id', 'in', part)
        .execute();
      const enrolments = await db.selectFrom('enrolments').selectAll().where('user_id', 'in', part).execute();
      for (const u of users)
        out.push({
          id: u.id,
          name: u.display_name ?? undefined,
          email: u.email ?? undefined,
          disabled: u.disabled_at !== null,
          createdAt: u.created_at,
          identities: identities
            .filter((i) => i.user_id === u.id)
            .map((i) => ({ kind: i.kind, issuer: i.issuer, clientId: i.client_id, subject: i.subject })),
          courses: enrolments
            .filter((e) => e.user_id === u.id)
            .map((e) => ({ courseId: e.course_id, role: e.role })),
        });
    }
    return out;
  }

  /** The course's fork jobs: whose, and the fork they made (if they got that far). */
  async function forkJobs(courseId: string) {
    const jobs = await db
      .selectFrom('provisionings')
      .select(['user_id', 'job_key', 'state', 'updated_at'])
      .where('kind', '=', 'fork')
      .where('job_key', 'like', `fork:%:${courseId.replace(/[%_\\]/g, '_')}:%`)
      .execute();
    return jobs
      .filter((j) => j.job_key.startsWith(`fork:${j.user_id}:${courseId}:`))
      .map((j) => ({ userId: j.user_id, updatedAt: j.updated_at, forkId: forgeRefsOf(j.state).forkId }));
  }

  return {
    /** The forks labgate made for a course's learners. */
    async courseForks(courseId: string): Promise<Array<{ userId: string; forkId: number }>> {
      return (await forkJobs(courseId)).flatMap((j) =>
        j.forkId === undefined ? [] : [{ userId: j.userId, forkId: j.forkId }],
      );
    },

    /** Everyone, or the people enrolled in `courseId` (with `role`, if given). */
    async list(o: { courseId?: string; role?: string } = {}): Promise<PersonSummary[]> {
      if (!o.courseId)
        return summaries(
          (await db.selectFrom('users').select('id').orderBy('created_at').execute()).map((r) => r.id),
        );
      let q = db
        .selectFrom('enrolments')
        .innerJoin('users', 'users.id', 'enrolments.user_id')
        .select('users.id')
        .where('enrolments.course_id', '=', o.courseId);
      if (o.role) q = q.where('enrolments.role', '=', o.role);
      return summaries((await q.orderBy('users.created_at').execute()).map((r) => r.id));
    },

    /** The people a labgate user id or an LMS's user id (`user_id`, `sub`) names: none, one, or several. */
    async find(idOrLmsId: string): Promise<PersonSummary[]> {
      const own = await db.selectFrom('users').select('id').where('id', '=', idOrLmsId).execute();
      const lms = await db
        .selectFrom('user_identities')
        .select('user_id as id')
        .where('subject', '=', idOrLmsId)
        .execute();
      return summaries([...new Set([...own, ...lms].map((r) => r.id))]);
    },

    /** The course's learners with their last activity in it; the course's data is what retirement erases. */
    async courseLearners(courseId: string): Promise<CourseLearner[]> {
      const learners = await db
        .selectFrom('enrolments')
        .select(['user_id', 'updated_at'])
        .where('course_id', '=', courseId)
        .where('role', '=', 'learner')
        .execute();
      const last = new Map(learners.map((l) => [l.user_id, l.updated_at]));
      const seen = (userId: string, at: number | null | undefined) => {
        if (at !== null && at !== undefined && last.has(userId))
          last.set(userId, Math.max(last.get(userId)!, at));
      };
      for (const s of await db
        .selectFrom('sessions')
        .select(['user_id', 'created_at'])
        .where('course_id', '=', courseId)
        .execute())
        seen(s.user_id, s.created_at);
      for (const w of await db
        .selectFrom('workspaces')
        .select(['user_id', 'last_activity_at'])
        .where('course_id', '=', courseId)
        .execute())
        seen(w.user_id, w.last_activity_at);
      const forkOwner = new Map<number, string>();
      for (const j of await forkJobs(courseId)) {
        seen(j.userId, j.updatedAt);
        if (j.forkId !== undefined) forkOwner.set(j.forkId, j.userId);
      }
      for (const part of chunks([...forkOwner.keys()]))
        for (const p of await db
          .selectFrom('forge_pushes')
          .select(['project_id', 'pushed_at'])
          .where('project_id', 'in', part)
          .execute())
          seen(forkOwner.get(p.project_id)!, p.pushed_at);
      const others = new Map<string, number>();
      for (const part of chunks([...last.keys()]))
        for (const e of await db
          .selectFrom('enrolments')
          .select('user_id')
          .where('user_id', 'in', part)
          .where('course_id', '<>', courseId)
          .execute())
          others.set(e.user_id, (others.get(e.user_id) ?? 0) + 1);
      return [...last].map(([userId, lastActiveAt]) => ({
        userId,
        lastActiveAt,
        otherCourses: others.get(userId) ?? 0,
      }));
    },
  };
}

export type PeopleStore = ReturnType<typeof createPeopleStore>;
