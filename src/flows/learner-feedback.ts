import {
  finalGrade,
  type GradeResult,
  type GradingSpec,
  type ReviewComment,
  type ReviewScore,
} from '../grading/index.ts';
import type { ReviewedCommit } from './review-commit.ts';
import { rubricItems, specQuestions, ungraded, visibleChecks } from './review-questions.ts';

/** A check's outcome as its learner may see it (hidden checks are only counted, never listed). */
export interface FeedbackCheck {
  type: string;
  passed: boolean;
  points: number;
  message: string;
}

export interface FeedbackQuestion {
  id: string;
  title: string | undefined;
  file: string;
  final: number;
  max: number;
  /** What the autograder gave; the grader's score replaced it when `overridden`. */
  auto: number;
  overridden: boolean;
  status: string;
  /** The rubric items the grader ticked. */
  rubric: Array<{ text: string; points: number }>;
  comment: string | undefined;
  checks: FeedbackCheck[];
  hiddenChecks: number;
  hint: string | undefined;
}

/** What a learner is told once feedback is released: no hidden check, no grader's name. */
export interface LearnerFeedback {
  assignment: { slug: string; title: string };
  releasedAt: number | undefined;
  commit: Pick<ReviewedCommit, 'sha' | 'source' | 'at' | 'clock' | 'late'> | undefined;
  score: { final: number; max: number; auto: number };
  general: string | undefined;
  questions: FeedbackQuestion[];
  /** Graders' comments on files, cells and lines (anchors as the review diff names blocks). */
  comments: Array<{ file: string; cell: string; line: number | undefined; body: string }>;
}

/** The learner's view of their grade, from what graders and the autograder decided. */
export function feedbackOf(o: {
  assignment: { slug: string; title: string; feedbackReleasedAt: number | undefined };
  spec: GradingSpec | undefined;
  result: GradeResult | undefined;
  scores: ReviewScore[];
  comments: ReviewComment[];
  commit: ReviewedCommit | undefined;
}): LearnerFeedback {
  const result = o.result ?? (o.spec ? ungraded(o.spec) : undefined);
  const final = finalGrade(result, o.scores);
  const fromSpec = new Map(o.spec ? specQuestions(o.spec).map((x) => [x.question.id, x.question]) : []);
  const scoreOf = new Map(o.scores.map((s) => [s.questionId, s]));
  const questions = final.questions.map((g): FeedbackQuestion => {
    const r = result?.questions.find((q) => q.id === g.id);
    const q = fromSpec.get(g.id);
    const items = q ? rubricItems(q) : [];
    const seen = visibleChecks(r?.checks ?? []);
    const review = scoreOf.get(g.id);
    return {
      id: g.id,
      title: q?.title,
      file: g.file,
      final: g.final,
      max: g.maxScore,
      auto: g.auto,
      overridden: g.manual !== undefined,
      status: g.status,
      rubric: (review?.rubric ?? []).flatMap((t) => {
        const item = items.find((i) => i.item === t.item);
        return item ? [{ text: item.text, points: t.points }] : [];
      }),
      comment: review?.comment,
      checks: seen.checks.map((c) => ({
        type: c.type,
        passed: c.passed,
        points: c.points,
        message: c.message,
      })),
      hiddenChecks: seen.hidden,
      hint: r?.hint,
    };
  });
  const c = o.commit;
  return {
    assignment: { slug: o.assignment.slug, title: o.assignment.title },
    releasedAt: o.assignment.feedbackReleasedAt,
    commit: c && { sha: c.sha, source: c.source, at: c.at, clock: c.clock, late: c.late },
    score: { final: final.final, max: final.maxScore, auto: final.auto },
    general: final.comment,
    questions,
    comments: o.comments.map((x) => ({ file: x.file, cell: x.cell, line: x.line, body: x.body })),
  };
}
