import type { Assignment, AssignmentStore, Course, CourseStore, RosterStore } from '../courses/index.ts';
import {
  finalGrade,
  type DeliveryStatus,
  type FeedbackDeliveryStore,
  type ReviewStore,
} from '../grading/index.ts';
import { gradesErrors } from './grades-errors.ts';

/** One learner's grade for one assignment, as the grades page and the CSV exports give it. */
export interface GradeReportRow {
  userId: string;
  name: string;
  lmsId: string;
  gitlabUsername: string;
  assignment: string;
  /** Undefined while the learner has no finished grading. */
  auto: number | undefined;
  final: number | undefined;
  maxScore: number | undefined;
  /** The graders' effect on the total: final − auto (overrides and rubric points together). */
  finalMinusAuto: number | undefined;
  /** A grader scored or ticked some question. */
  reviewed: boolean;
  /** How late the newest push after the deadline came, when one was recorded. */
  lateByMs: number | undefined;
  passback: { status: string; answer: string | undefined } | undefined;
  feedbackReleased: boolean;
  feedback: { status: DeliveryStatus; commitSha: string | undefined; error: string | undefined } | undefined;
}

export interface GradeReportDeps {
  courses: Pick<CourseStore, 'findCourse'>;
  assignments: Pick<AssignmentStore, 'findAssignment' | 'listAssignments'>;
  roster: RosterStore;
  reviews: Pick<ReviewStore, 'latestGradings' | 'scoresOfAssignment'>;
  deliveries: Pick<FeedbackDeliveryStore, 'listOf'>;
  /** The grades outbox's state per learner (the passback's `statusOf`); absent: no column filled. */
  passback?: {
    statusOf(assignmentId: string): Promise<Map<string, { status: string; answer?: string | undefined }>>;
  };
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** The grades of a course's learners: automatic, the graders' change, final, late, passback, feedback. */
export function createGradeReport(d: GradeReportDeps) {
  async function courseOf(courseId: string): Promise<Course> {
    const course = await d.courses.findCourse(courseId);
    if (!course) throw gradesErrors.noCourse(courseId);
    return course;
  }

  async function rowsOf(course: Course, a: Assignment): Promise<GradeReportRow[]> {
    const [roster, gradings, scores, deliveries, passback] = await Promise.all([
      d.roster(course.id, a),
      d.reviews.latestGradings(a.id),
      d.reviews.scoresOfAssignment(a.id),
      d.deliveries.listOf(a.id),
      d.passback?.statusOf(a.id),
    ]);
    const delivery = new Map(deliveries.map((x) => [x.userId, x]));
    const rows = roster.map((r): GradeReportRow => {
      const g = gradings.get(r.userId);
      const f = g && finalGrade(g.result, scores.get(r.userId) ?? []);
      const p = passback?.get(r.userId);
      const x = delivery.get(r.userId);
      return {
        userId: r.userId,
        name: r.name,
        lmsId: r.lmsId,
        gitlabUsername: r.gitlabUsername,
        assignment: a.slug,
        auto: f?.auto,
        final: f?.final,
        maxScore: f?.maxScore,
        finalMinusAuto: f && round(f.final - f.auto),
        reviewed: f?.reviewed ?? false,
        lateByMs: r.lateByMs,
        passback: p && { status: p.status, answer: p.answer },
        feedbackReleased: a.feedbackReleasedAt !== undefined,
        feedback: x && { status: x.status, commitSha: x.commitSha, error: x.error },
      };
    });
    return rows.sort((x, y) => x.name.localeCompare(y.name) || x.lmsId.localeCompare(y.lmsId));
  }

  /** One assignment's grades, every learner of the course listed (graded or not). */
  async function assignmentGrades(courseId: string, slug: string) {
    const course = await courseOf(courseId);
    const assignment = await d.assignments.findAssignment(course.id, slug);
    if (!assignment) throw gradesErrors.noAssignment(courseId, slug);
    return { course, assignment, rows: await rowsOf(course, assignment) };
  }

  /** Every assignment's grades, assignment after assignment (`onProgress` after each). */
  async function courseGrades(courseId: string, onProgress?: (done: number, total: number) => void) {
    const course = await courseOf(courseId);
    const assignments = await d.assignments.listAssignments(course.id);
    const rows: GradeReportRow[] = [];
    for (const [i, a] of assignments.entries()) {
      rows.push(...(await rowsOf(course, a)));
      onProgress?.(i + 1, assignments.length);
    }
    return { course, assignments, rows };
  }

  return { assignmentGrades, courseGrades };
}

export type GradeReport = ReturnType<typeof createGradeReport>;
