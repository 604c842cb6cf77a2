import { randomUUID } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';

export type CourseRole = 'learner' | 'ta' | 'teacher';

export interface Course {
  id: string;
  /** `lti11:<consumer key>` or `lti13:<issuer>`: the LMS the course lives in. */
  lms: string;
  contextId: string;
  title: string;
  label: string | undefined;
}

const toCourse = (r: {
  id: string;
  lms: string;
  context_id: string;
  title: string;
  label: string | null;
}) => ({
  id: r.id,
  lms: r.lms,
  contextId: r.context_id,
  title: r.title,
  label: r.label ?? undefined,
});

export function createCourseStore(db: Db, now: () => number = Date.now) {
  const findByContext = (lms: string, contextId: string) =>
    db
      .selectFrom('courses')
      .selectAll()
      .where('lms', '=', lms)
      .where('context_id', '=', contextId)
      .executeTakeFirst();

  /** The course an LMS context maps to, created on first launch; its title follows the LMS. */
  async function ensureCourse(o: {
    lms: string;
    contextId: string;
    title: string;
    label?: string;
  }): Promise<Course> {
    const existing = await findByContext(o.lms, o.contextId);
    if (existing) {
      if (existing.title !== o.title || (o.label !== undefined && existing.label !== o.label)) {
        await db
          .updateTable('courses')
          .set({ title: o.title, label: o.label ?? existing.label })
          .where('id', '=', existing.id)
          .execute();
      }
      return toCourse({ ...existing, title: o.title, label: o.label ?? existing.label });
    }
    await db
      .insertInto('courses')
      .values({
        id: randomUUID(),
        lms: o.lms,
        context_id: o.contextId,
        title: o.title,
        label: o.label ?? null,
        created_at: now(),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const row = await findByContext(o.lms, o.contextId);
    if (!row) throw new Error('course vanished right after it was created');
    return toCourse(row);
  }

  /** Creates a course ahead of its first launch (CLI); refuses a context that already has one. */
  async function createCourse(o: { lms: string; contextId: string; title: string; label?: string }) {
    if (await findByContext(o.lms, o.contextId)) {
      throw new AppError({
        code: 'COURSES_EXISTS',
        status: 409,
        message: `A course already exists for context "${o.contextId}" of ${o.lms}.`,
      });
    }
    return ensureCourse(o);
  }

  async function listCourses(): Promise<Course[]> {
    const rows = await db.selectFrom('courses').selectAll().orderBy('created_at').execute();
    return rows.map(toCourse);
  }

  async function findCourse(id: string): Promise<Course | undefined> {
    const row = await db.selectFrom('courses').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toCourse(row);
  }

  /** Records the role the LMS gave at the latest launch; the LMS is the source of truth for membership. */
  async function enrol(courseId: string, userId: string, role: CourseRole) {
    await db
      .insertInto('enrolments')
      .values({ course_id: courseId, user_id: userId, role, updated_at: now() })
      .onConflict((oc) => oc.columns(['course_id', 'user_id']).doUpdateSet({ role, updated_at: now() }))
      .execute();
  }

  async function findRole(courseId: string, userId: string): Promise<CourseRole | undefined> {
    const row = await db
      .selectFrom('enrolments')
      .select('role')
      .where('course_id', '=', courseId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.role as CourseRole | undefined;
  }

  return { ensureCourse, createCourse, listCourses, findCourse, enrol, findRole };
}

export type CourseStore = ReturnType<typeof createCourseStore>;
