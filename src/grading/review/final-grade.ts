import type { GradeResult, QuestionStatus } from '../grading.ts';
import type { ReviewScore } from './review-store.ts';

export interface QuestionGrade {
  id: string;
  file: string;
  maxScore: number;
  status: QuestionStatus;
  /** What the autograder gave. */
  auto: number;
  /** The grader's score, when they overrode the automatic one. */
  manual: number | undefined;
  /** Points of the rubric items the grader ticked (added to the automatic score unless overridden). */
  rubricPoints: number;
  final: number;
  gradedBy: string | undefined;
  gradedAt: number | undefined;
}

export interface FinalGrade {
  questions: QuestionGrade[];
  auto: number;
  final: number;
  maxScore: number;
  /** Some question was scored or ticked by a grader. */
  reviewed: boolean;
  /** The grader's comment on the whole submission. */
  comment: string | undefined;
}

const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
const round = (v: number) => Math.round(v * 1000) / 1000;

/**
 * A submission's grade as the grader decided it: per question the grader's score when they gave one
 * (both are kept, as nbgrader does), else the automatic score plus the rubric items ticked, capped at
 * the question's points.
 */
export function finalGrade(result: GradeResult | undefined, reviews: ReviewScore[]): FinalGrade {
  const byQuestion = new Map(reviews.map((r) => [r.questionId, r]));
  const questions = (result?.questions ?? []).map((q): QuestionGrade => {
    const r = byQuestion.get(q.id);
    const rubricPoints = r ? r.rubric.reduce((s, t) => s + t.points, 0) : 0;
    const manual = r?.score;
    return {
      id: q.id,
      file: q.file,
      maxScore: q.maxScore,
      status: q.status,
      auto: q.score,
      manual,
      rubricPoints,
      final: round(clamp(manual ?? q.score + rubricPoints, q.maxScore)),
      gradedBy: r?.gradedBy,
      gradedAt: r?.gradedAt,
    };
  });
  const general = byQuestion.get('');
  return {
    questions,
    auto: round(questions.reduce((s, q) => s + q.auto, 0)),
    final: round(questions.reduce((s, q) => s + q.final, 0)),
    maxScore: round(questions.reduce((s, q) => s + q.maxScore, 0)),
    reviewed: questions.some((q) => q.manual !== undefined || q.rubricPoints > 0),
    comment: general?.comment,
  };
}
