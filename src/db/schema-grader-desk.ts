/** Rows of the grader's desk (migration 012). Times are epoch milliseconds. */

/**
 * Where one learner's grade for one assignment goes back to their LMS, as their newest launch said:
 * LTI 1.1 Basic Outcomes (`outcome_url` + `sourcedid`) or LTI 1.3 AGS (`ags_*`, `lti_user_id` = `sub`).
 */
export interface GradeTargetRow {
  assignment_id: string;
  user_id: string;
  version: '1.1' | '1.3';
  /** `lti11:<consumer key>` or `lti13:<issuer>`: which consumer secret or platform signs or receives. */
  lms_key: string;
  resource_link_id: string;
  outcome_url: string | null;
  sourcedid: string | null;
  lti_user_id: string | null;
  ags_lineitems: string | null;
  ags_lineitem: string | null;
  /** JSON array of the AGS scopes the platform granted. */
  ags_scopes: string | null;
  updated_at: number;
}

/**
 * The newest grade to send for one learner and assignment. Queuing a new grade replaces the row and
 * makes it `pending` again; `sent` once the LMS said success; `failed` after the last retry or a refusal.
 */
export interface GradeOutboxRow {
  assignment_id: string;
  user_id: string;
  score: number;
  max_score: number;
  comment: string | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  /** The LMS's answer to the last attempt (or the error reaching it), for the roster. */
  answer: string | null;
  /** When this grade was decided (AGS `timestamp`: strictly increasing per learner). */
  scored_at: number;
  sent_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A grader's decision on one question: a score overriding the automatic one (null: keep it), rubric ticks. */
export interface ReviewScoreRow {
  assignment_id: string;
  user_id: string;
  question_id: string;
  score: number | null;
  /** JSON array of the indexes of the rubric items ticked. */
  rubric: string;
  comment: string | null;
  /** Bumped by every save; a save names the version it started from (several graders at once). */
  version: number;
  graded_by: string;
  graded_at: number;
}

/**
 * A grader's comment on a learner's submission: on a cell (`cell` = the block key or `#<index>`) and
 * optionally one line of it, or general (`file` = '' and `cell` = '').
 */
export interface ReviewCommentRow {
  id: string;
  assignment_id: string;
  user_id: string;
  file: string;
  cell: string;
  line: number | null;
  body: string;
  version: number;
  author_id: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

/** Released feedback on its way to a learner's fork as FEEDBACK.md. */
export interface FeedbackDeliveryRow {
  assignment_id: string;
  user_id: string;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  commit_sha: string | null;
  error: string | null;
  updated_at: number;
}
