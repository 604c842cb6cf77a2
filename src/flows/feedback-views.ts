import type { Assignment, ExtensionStore } from '../courses/index.ts';
import { maxDiffBytes, type ReviewStore } from '../grading/index.ts';
import { feedbackOf, type LearnerFeedback } from './learner-feedback.ts';
import { diffOne } from './review-file-diff.ts';
import { defaultFile, reviewFiles } from './review-files.ts';
import { questionAnchors } from './review-questions.ts';
import { loadSources, type SourcesDeps } from './review-sources.ts';

interface FeedbackDeps extends SourcesDeps {
  extensions: Pick<ExtensionStore, 'extensionsOf'>;
  reviews: ReviewStore;
  maxFileBytes?: number;
  assignmentOf: (courseId: string, slug: string) => Promise<{ assignment: Assignment }>;
}

type Who = { courseId: string; slug: string; userId: string };

/** What learners see of their grade once feedback is released. */
export function createFeedbackViews(d: FeedbackDeps) {
  async function learnerContext(assignment: Assignment, userId: string) {
    const deadline = (await d.extensions.extensionsOf(assignment.id)).get(userId) ?? assignment.deadline;
    const [scores, comments] = await Promise.all([
      d.reviews.scoresOf(assignment.id, userId),
      d.reviews.commentsOf(assignment.id, userId),
    ]);
    return { deadline, scores, comments };
  }

  /**
   * What a learner is told of their grade (scores, visible checks, comments; no hidden check, no
   * grader's name), as the feedback page shows it and FEEDBACK.md says it. Released or not: callers check.
   */
  async function learnerFeedback(o: Who): Promise<LearnerFeedback> {
    const { assignment } = await d.assignmentOf(o.courseId, o.slug);
    const { deadline, scores, comments } = await learnerContext(assignment, o.userId);
    const who = { userId: o.userId, deadline, lastPushAt: undefined };
    const s = await loadSources(d, assignment, who, { withFiles: false });
    const spec = s.spec?.ok ? s.spec.spec : undefined;
    return feedbackOf({ assignment, spec, result: s.grading?.result, scores, comments, commit: s.commit });
  }

  /** The learner's feedback page, once released: their feedback, and one file of theirs against the template. */
  async function feedbackView(o: Who & { file?: string }) {
    const { assignment } = await d.assignmentOf(o.courseId, o.slug);
    if (assignment.feedbackReleasedAt === undefined) return { released: false as const, assignment };
    const { deadline, scores, comments } = await learnerContext(assignment, o.userId);
    const s = await loadSources(d, assignment, { userId: o.userId, deadline, lastPushAt: undefined });
    const spec = s.spec?.ok ? s.spec.spec : undefined;
    const feedback = feedbackOf({
      assignment,
      spec,
      result: s.grading?.result,
      scores,
      comments,
      commit: s.commit,
    });
    const files = reviewFiles(s.learner, s.template.files, spec);
    const file = files.some((f) => f.name === o.file) ? o.file : defaultFile(files);
    const diff =
      file && s.commit && !s.problem
        ? diffOne(file, { left: s.template.files, right: s.learner }, d.maxFileBytes ?? maxDiffBytes)
        : undefined;
    const ok = diff?.ok ? diff : undefined;
    const anchors = questionAnchors(spec, file ?? '', ok?.right, ok?.diff);
    return { released: true as const, assignment, feedback, files, file, diff, anchors, problem: s.problem };
  }

  return { learnerFeedback, feedbackView };
}

export type FeedbackView = Awaited<ReturnType<ReturnType<typeof createFeedbackViews>['feedbackView']>>;
