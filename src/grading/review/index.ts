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
export {
  feedbackMarkdown,
  inertMarkdown,
  type FeedbackInput,
  type FeedbackLang,
  type QuestionText,
} from './feedback-markdown.ts';
export {
  createFeedbackDeliveryStore,
  type DeliveryStatus,
  type FeedbackDelivery,
  type FeedbackDeliveryStore,
} from './feedback-delivery-store.ts';
