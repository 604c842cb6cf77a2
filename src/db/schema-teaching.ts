/** Rows of the teacher's console (migration 010). Times are epoch milliseconds. */

/** A learner's own deadline for one assignment (an extension). */
export interface AssignmentExtensionRow {
  assignment_id: string;
  user_id: string;
  deadline: number;
  created_at: number;
}

/**
 * One push the forge received, at the forge's time (push hook `X-Gitlab-Event: Push Hook` or the
 * events API), never a commit date. Keyed by the hook's Idempotency-Key or the event id.
 */
export interface ForgePushRow {
  event_key: string;
  project_id: number;
  /** Branch name, without `refs/heads/`. */
  ref: string;
  /** Null for a branch made by this push. */
  before_sha: string | null;
  /** Null for a branch deleted by this push. */
  after_sha: string | null;
  pushed_at: number;
  /** The forge username that pushed (a project bot for tokens). */
  author: string;
  received_at: number;
}

/** A fork against its template: ahead/behind, would a merge conflict, and the last "bring up to date". */
export interface ForkStateRow {
  assignment_id: string;
  user_id: string;
  fork_id: number;
  /** The heads this state was computed from (null: never computed). */
  fork_sha: string | null;
  template_sha: string | null;
  ahead: number | null;
  behind: number | null;
  /** JSON array of the paths a merge of the template would leave conflicting; null when clean or unknown. */
  conflicts: string | null;
  checked_at: number | null;
  /** The last "bring up to date": merged | up-to-date | conflict | moved | failed. */
  update_status: string | null;
  update_message: string | null;
  updated_at: number | null;
  /** JSON array of the merge commits labgate pushed (their pushes are not the learner's). */
  merged_sha: string | null;
}

/** What a learner submitted: the last commit the forge received before their deadline. */
export interface SubmissionRow {
  assignment_id: string;
  user_id: string;
  fork_id: number;
  /** The deadline that applied (the assignment's, or their extension). */
  deadline: number;
  /** Null: nothing pushed before the deadline. */
  commit_sha: string | null;
  pushed_at: number | null;
  /** `submitted/<UTC time>` tag made on the fork, once made. */
  tag: string | null;
  locked_at: number | null;
  recorded_at: number;
  /** The newest push after the deadline (a late submission), if any. */
  late_sha: string | null;
  late_pushed_at: number | null;
}
