import { randomUUID } from 'node:crypto';
import type { AssignmentRow, Db } from '../db/index.ts';
import { isUniqueViolation } from '../db/index.ts';
import { AppError } from '../errors.ts';

export interface Assignment {
  id: string;
  courseId: string;
  /** What the LMS link names (`custom_assignment=ex1`); also the start of each learner's fork path. */
  slug: string;
  title: string;
  /** The teacher's template project in GitLab, by full path. */
  template: string;
  /** The staff-only grading repository (grading.yml, expected files), once labgate made it. */
  gradingRepo: string | undefined;
  /** When work is due (ms since the epoch): grading takes each learner's commit then, reveal changes. */
  deadline: number | undefined;
  /** The workspace image learners get; undefined: the service's default image. */
  image: string | undefined;
  /** After the deadline: late pushes are recorded as late (`accept`), or the fork is locked (`lock`). */
  latePolicy: LatePolicy;
  /** When the teacher released feedback (scores, comments) to learners; undefined: not released. */
  feedbackReleasedAt: number | undefined;
  /** The file learners land in (`notebooks/ex1.ipynb`); undefined: the template's first notebook. */
  openFile: string | undefined;
}

export const latePolicies = ['accept', 'lock'] as const;
export type LatePolicy = (typeof latePolicies)[number];

const toAssignment = (r: AssignmentRow): Assignment => ({
  id: r.id,
  courseId: r.course_id,
  slug: r.slug,
  title: r.title,
  template: r.template,
  gradingRepo: r.grading_repo ?? undefined,
  deadline: r.deadline ?? undefined,
  image: r.image ?? undefined,
  latePolicy: r.late_policy === 'lock' ? 'lock' : 'accept',
  feedbackReleasedAt: r.feedback_released_at ?? undefined,
  openFile: r.open_file ?? undefined,
});

const slugPattern = /^[a-z0-9][a-z0-9_-]{0,59}$/;
const templatePattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$/;

const invalid = (message: string) => new AppError({ code: 'ASSIGNMENT_INVALID', status: 400, message });

export function createAssignmentStore(db: Db, now: () => number = Date.now) {
  async function addAssignment(
    o: Omit<
      Assignment,
      'id' | 'gradingRepo' | 'deadline' | 'image' | 'latePolicy' | 'feedbackReleasedAt' | 'openFile'
    > & {
      deadline?: number;
      image?: string;
      latePolicy?: LatePolicy;
      openFile?: string;
    },
  ): Promise<Assignment> {
    if (!slugPattern.test(o.slug))
      throw invalid(
        `"${o.slug}" is not a usable assignment slug: use 1 to 60 lowercase letters, digits, - or _.`,
      );
    if (!templatePattern.test(o.template) || o.template.endsWith('.git'))
      throw invalid(
        `"${o.template}" is not a GitLab project path: give it as group/project, e.g. teachers/python-101.`,
      );
    if (!o.title.trim() || o.title.length > 255)
      throw invalid('The assignment title must be 1 to 255 characters long.');
    const row = {
      id: randomUUID(),
      course_id: o.courseId,
      slug: o.slug,
      title: o.title.trim(),
      template: o.template,
      grading_repo: null,
      deadline: o.deadline ?? null,
      image: o.image ?? null,
      late_policy: o.latePolicy ?? 'accept',
      feedback_released_at: null,
      open_file: o.openFile ?? null,
      created_at: now(),
    };
    try {
      await db.insertInto('assignments').values(row).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new AppError({
        code: 'ASSIGNMENT_EXISTS',
        status: 409,
        message: `The course already has an assignment "${o.slug}".`,
      });
    }
    return toAssignment(row);
  }

  async function findAssignment(courseId: string, slug: string): Promise<Assignment | undefined> {
    const row = await db
      .selectFrom('assignments')
      .selectAll()
      .where('course_id', '=', courseId)
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row && toAssignment(row);
  }

  async function listAssignments(courseId: string): Promise<Assignment[]> {
    const rows = await db
      .selectFrom('assignments')
      .selectAll()
      .where('course_id', '=', courseId)
      .orderBy('slug')
      .execute();
    return rows.map(toAssignment);
  }

  async function findAssignmentById(id: string): Promise<Assignment | undefined> {
    const row = await db.selectFrom('assignments').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAssignment(row);
  }

  /** Every course's assignments (the upkeep's rounds: deadlines, template updates). */
  async function listAllAssignments(): Promise<Assignment[]> {
    const rows = await db.selectFrom('assignments').selectAll().orderBy('created_at').execute();
    return rows.map(toAssignment);
  }

  /**
   * The images of assignments learners may still be starting: those named by an assignment without a
   * deadline, or due less than `graceMs` ago or later (the warm pools' images, besides the default).
   */
  async function openAssignmentImages(graceMs = 7 * 24 * 3600 * 1000): Promise<string[]> {
    const rows = await db
      .selectFrom('assignments')
      .select('image')
      .distinct()
      .where('image', 'is not', null)
      .where((eb) => eb.or([eb('deadline', 'is', null), eb('deadline', '>', now() - graceMs)]))
      .orderBy('image')
      .execute();
    return rows.flatMap((r) => (r.image ? [r.image] : []));
  }

  async function setGradingRepo(id: string, path: string): Promise<void> {
    await db.updateTable('assignments').set({ grading_repo: path }).where('id', '=', id).execute();
  }

  /** Releases feedback to learners (a time) or takes it back (undefined). */
  async function setFeedbackReleased(id: string, at: number | undefined): Promise<void> {
    await db
      .updateTable('assignments')
      .set({ feedback_released_at: at ?? null })
      .where('id', '=', id)
      .execute();
  }

  async function setDeadline(id: string, deadline: number | undefined): Promise<void> {
    await db
      .updateTable('assignments')
      .set({ deadline: deadline ?? null })
      .where('id', '=', id)
      .execute();
  }

  /** The file learners land in from their next launch on (undefined: the template's first notebook). */
  async function setOpenFile(id: string, path: string | undefined): Promise<void> {
    await db
      .updateTable('assignments')
      .set({ open_file: path ?? null })
      .where('id', '=', id)
      .execute();
  }

  return {
    addAssignment,
    setOpenFile,
    findAssignment,
    listAssignments,
    listAllAssignments,
    openAssignmentImages,
    findAssignmentById,
    setGradingRepo,
    setDeadline,
    setFeedbackReleased,
  };
}

export type AssignmentStore = ReturnType<typeof createAssignmentStore>;
