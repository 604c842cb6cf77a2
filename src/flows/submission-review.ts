import type {
  Assignment,
  AssignmentStore,
  CourseStore,
  ExtensionStore,
  RosterRow,
  RosterStore,
  SubmissionStore,
} from '../courses/index.ts';
import type { Provisioner } from '../forge/index.ts';
import {
  finalGrade,
  maxDiffBytes,
  type FinalGrade,
  type ReviewComment,
  type ReviewScore,
  type ReviewStore,
} from '../grading/index.ts';
import type { UserStore } from '../identity/index.ts';
import type { RepoReader } from './assignment-spec.ts';
import { diffOne, type Against, type FileDiff } from './review-file-diff.ts';
import { defaultFile, reviewFiles, type ReviewFile } from './review-files.ts';
import { reviewErrors } from './review-errors.ts';
import { questionAnchors, reviewQuestions, ungraded, type ReviewQuestion } from './review-questions.ts';
import { createFeedbackViews } from './feedback-views.ts';
import { loadSources, type ReviewSources } from './review-sources.ts';
import { createReviewSaves } from './review-saves.ts';

export interface SubmissionReviewDeps {
  /** Best with archives cached (`cachedArchives`): graders go from learner to learner. */
  forge: RepoReader;
  provisioner: Pick<Provisioner, 'listForUser'>;
  courses: Pick<CourseStore, 'findCourse' | 'findRole'>;
  assignments: Pick<AssignmentStore, 'findAssignment'>;
  roster: RosterStore;
  submissions: Pick<SubmissionStore, 'findSubmission'>;
  extensions: Pick<ExtensionStore, 'extensionsOf'>;
  reviews: ReviewStore;
  users: Pick<UserStore, 'findUser'>;
  maxSubmissionBytes: number;
  /** A file bigger than this is not diffed on the page (default: what `labgate diff` reads). */
  maxFileBytes?: number;
  /** Told after a grader's save (released feedback and the LMS's grade follow). */
  onChanged?: (assignmentId: string, userId: string) => Promise<unknown>;
  now?: () => number;
}

export interface Neighbour {
  userId: string;
  name: string;
}

export interface SubmissionReview {
  course: { id: string; title: string };
  assignment: Assignment;
  learner: Pick<RosterRow, 'userId' | 'name' | 'lmsId' | 'email' | 'deadline'>;
  /** The learners before and after this one in roster order, and this one's place. */
  neighbours: {
    previous: Neighbour | undefined;
    next: Neighbour | undefined;
    position: number;
    total: number;
  };
  sources: Omit<ReviewSources, 'learner'>;
  files: ReviewFile[];
  file: string | undefined;
  against: Against;
  /** grading.yml has an expected version of this file. */
  expectedAvailable: boolean;
  diff: FileDiff | undefined;
  /** Question id → the anchor of its block in this file's diff. */
  anchors: Map<string, string>;
  questions: ReviewQuestion[];
  final: FinalGrade;
  general: ReviewScore | undefined;
  comments: ReviewComment[];
  /** Display names of the graders and comment authors, by user id. */
  people: Map<string, string>;
}

const byName = (rows: RosterRow[]) =>
  rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.name.localeCompare(b.r.name) || a.i - b.i)
    .map((x) => x.r);

/**
 * The grader's desk for one learner: their submission against the template or the expected answers,
 * file by file, with the autograder's results, the graders' scores and comments, and the final grade.
 */
export function createSubmissionReview(d: SubmissionReviewDeps) {
  const now = d.now ?? Date.now;
  const sourceDeps = { ...d, now };

  async function assignmentOf(courseId: string, slug: string) {
    const course = await d.courses.findCourse(courseId);
    const assignment = course && (await d.assignments.findAssignment(courseId, slug));
    if (!course || !assignment) throw reviewErrors.noAssignment(slug);
    return { course, assignment };
  }

  async function namesOf(ids: Iterable<string>) {
    const people = new Map<string, string>();
    for (const id of new Set(ids)) people.set(id, (await d.users.findUser(id))?.displayName ?? id);
    return people;
  }

  async function review(o: {
    courseId: string;
    slug: string;
    userId: string;
    file?: string;
    against?: Against;
    /** The roster's order (the grader's sort and filter); by name when not given. */
    order?: (rows: RosterRow[]) => RosterRow[];
  }): Promise<SubmissionReview> {
    const { course, assignment } = await assignmentOf(o.courseId, o.slug);
    const all = await d.roster(course.id, assignment);
    const row = all.find((r) => r.userId === o.userId);
    if (!row) throw reviewErrors.noLearner();
    const ordered = (o.order ?? byName)(all);
    const list = ordered.some((r) => r.userId === row.userId) ? ordered : byName(all);
    const at = list.findIndex((r) => r.userId === row.userId);
    const neighbour = (r: RosterRow | undefined) => r && { userId: r.userId, name: r.name };
    const [s, scores, comments] = await Promise.all([
      loadSources(sourceDeps, assignment, {
        userId: row.userId,
        deadline: row.deadline,
        lastPushAt: row.lastPushAt,
      }),
      d.reviews.scoresOf(assignment.id, row.userId),
      d.reviews.commentsOf(assignment.id, row.userId),
    ]);
    const spec = s.spec?.ok ? s.spec : undefined;
    const files = reviewFiles(s.learner, s.template.files, spec?.spec);
    const file = files.some((f) => f.name === o.file) ? o.file : defaultFile(files);
    const expectedAvailable = !!file && !!spec?.expected.has(file);
    const against: Against = o.against === 'expected' && expectedAvailable ? 'expected' : 'template';
    const diff =
      file && s.commit && !s.problem
        ? diffOne(
            file,
            { left: against === 'expected' ? spec!.expected : s.template.files, right: s.learner },
            d.maxFileBytes ?? maxDiffBytes,
          )
        : undefined;
    const final = finalGrade(s.grading?.result ?? (spec ? ungraded(spec.spec) : undefined), scores);
    const { learner: _files, ...sources } = s;
    return {
      course: { id: course.id, title: course.title },
      assignment,
      learner: {
        userId: row.userId,
        name: row.name,
        lmsId: row.lmsId,
        email: row.email,
        deadline: row.deadline,
      },
      neighbours: {
        previous: neighbour(list[at - 1]),
        next: neighbour(list[at + 1]),
        position: at + 1,
        total: list.length,
      },
      sources,
      files,
      file,
      against,
      expectedAvailable,
      diff,
      anchors: questionAnchors(
        spec?.spec,
        file ?? '',
        diff?.ok ? diff.right : undefined,
        diff?.ok ? diff.diff : undefined,
      ),
      questions: reviewQuestions(spec?.spec, s.grading?.result, final, scores),
      final,
      general: scores.find((x) => x.questionId === ''),
      comments,
      people: await namesOf([...scores.map((x) => x.gradedBy), ...comments.map((c) => c.authorId)]),
    };
  }

  const saves = createReviewSaves({ ...d, assignmentOf, namesOf });
  const feedback = createFeedbackViews({ ...d, now, assignmentOf });
  return { review, ...feedback, ...saves };
}

export type SubmissionReviewFlow = ReturnType<typeof createSubmissionReview>;
