export {
  createReviewStore,
  type ReviewStore,
  type ReviewScore,
  type ReviewComment,
  type RubricTick,
  type Saved,
  type LatestGrading,
} from './review-store.ts';
export { finalGrade, type FinalGrade, type QuestionGrade } from './final-grade.ts';
