import type { Assignment, Course, CourseStore } from '../courses/index.ts';
import { isAppError } from '../errors.ts';
import type { ReviewComment, ReviewScore, ReviewStore } from '../grading/index.ts';
import { loadAssignmentSpec, type RepoReader } from './assignment-spec.ts';
import { reviewErrors } from './review-errors.ts';
import { findQuestion, questionMax, rubricItems } from './review-questions.ts';

interface SavesDeps {
  forge: RepoReader;
  courses: Pick<CourseStore, 'findRole'>;
  reviews: ReviewStore;
  maxSubmissionBytes: number;
  assignmentOf: (courseId: string, slug: string) => Promise<{ course: Course; assignment: Assignment }>;
  namesOf: (ids: Iterable<string>) => Promise<Map<string, string>>;
  /** Told after a save: released feedback and the LMS's grade follow the grader's change. */
  onChanged?: (assignmentId: string, userId: string) => Promise<unknown>;
}

interface Target {
  courseId: string;
  slug: string;
  /** The learner whose work is graded. */
  userId: string;
}

/** A save made from an outdated version: the row as it is now, and who made it so. */
export type Refused<T> = { ok: false; current: T | undefined; by: string | undefined };

/**
 * What graders save as they go: a question's score, rubric ticks and comment (checked against
 * grading.yml: points come from it, never from the browser), and comments on cells and lines.
 */
export function createReviewSaves(d: SavesDeps) {
  async function target(t: Target) {
    const { assignment } = await d.assignmentOf(t.courseId, t.slug);
    if ((await d.courses.findRole(assignment.courseId, t.userId)) !== 'learner')
      throw reviewErrors.noLearner();
    return assignment;
  }

  async function specOf(a: Assignment) {
    if (!a.gradingRepo) throw reviewErrors.noSpec();
    try {
      return (await loadAssignmentSpec(d.forge, a, a.gradingRepo, d.maxSubmissionBytes)).spec;
    } catch (err) {
      if (isAppError(err) && err.code === 'GRADING_SETUP') throw reviewErrors.noSpec();
      throw err;
    }
  }

  const refused = async <T>(current: T | undefined, who: string | undefined): Promise<Refused<T>> => ({
    ok: false,
    current,
    by: who === undefined ? undefined : (await d.namesOf([who])).get(who),
  });

  async function saveScore(
    o: Target & {
      graderId: string;
      questionId: string;
      score: number | null;
      rubric: Array<{ item: number }>;
      comment: string | null;
      version: number;
    },
  ): Promise<{ ok: true; saved: ReviewScore } | Refused<ReviewScore>> {
    const assignment = await target(o);
    let rubric: Array<{ item: number; points: number }> = [];
    if (o.questionId === '') {
      if (o.score !== null || o.rubric.length > 0) throw reviewErrors.generalScore();
    } else {
      const found = findQuestion(await specOf(assignment), o.questionId);
      if (!found) throw reviewErrors.unknownQuestion(o.questionId);
      const max = questionMax(found.question);
      if (o.score !== null && (o.score < 0 || o.score > max))
        throw reviewErrors.scoreRange(o.questionId, max);
      const items = rubricItems(found.question);
      rubric = o.rubric.map((t) => {
        const item = items.find((i) => i.item === t.item);
        if (!item) throw reviewErrors.unknownRubricItem(o.questionId, t.item);
        return { item: item.item, points: item.points };
      });
    }
    const r = await d.reviews.saveScore({
      assignmentId: assignment.id,
      userId: o.userId,
      questionId: o.questionId,
      score: o.score ?? undefined,
      rubric,
      comment: o.comment ?? undefined,
      fromVersion: o.version,
      graderId: o.graderId,
    });
    if (!r.ok) return refused(r.current, r.current?.gradedBy);
    await d.onChanged?.(assignment.id, o.userId);
    return { ok: true, saved: r.value };
  }

  async function addComment(
    o: Target & { authorId: string; file: string; cell: string; line: number | undefined; body: string },
  ): Promise<ReviewComment> {
    const assignment = await target(o);
    const saved = await d.reviews.addComment({ ...o, assignmentId: assignment.id });
    await d.onChanged?.(assignment.id, o.userId);
    return saved;
  }

  /** Edits a comment (`body`) or deletes it (null), from the version the grader saw. */
  async function changeComment(
    o: Target & { id: string; body: string | null; version: number },
  ): Promise<{ ok: true; saved: ReviewComment | undefined } | Refused<ReviewComment>> {
    const assignment = await target(o);
    const r = await d.reviews.changeComment({
      assignmentId: assignment.id,
      userId: o.userId,
      id: o.id,
      body: o.body ?? undefined,
      fromVersion: o.version,
    });
    // No current row: another grader deleted it (or it never was this learner's).
    if (!r.ok) return refused(r.current, r.current?.authorId);
    await d.onChanged?.(assignment.id, o.userId);
    return { ok: true, saved: r.value };
  }

  return { saveScore, addComment, changeComment };
}
