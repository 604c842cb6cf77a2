/** The grades a release or a regrade hands to the passback outbox, and what it made of them. */

/** One learner's grade for the LMS, as the passback outbox takes it. */
export interface QueuedGrade {
  userId: string;
  score: number;
  maxScore: number;
  comment?: string;
}

/** What the passback made of a batch (learners by user id); absent fields count as none. */
export interface GradeQueueOutcome {
  queued?: string[];
  unchanged?: string[];
  /** Learners whose launches never said where their grade goes back. */
  noLmsLink?: string[];
}

/** The passback outbox, as this flow needs it (wired in app/feedback.ts). */
export interface GradeQueue {
  queueGrades(assignmentId: string, grades: QueuedGrade[]): Promise<GradeQueueOutcome | void>;
}

/** What queuing a class's grades did: learners with a grade, and what the passback said of them. */
export interface GradesQueued {
  graded: number;
  queued: number;
  unchanged: number;
  noLmsLink: number;
}
