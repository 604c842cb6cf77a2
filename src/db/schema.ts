import type { Lti13DeepLinkingRequestRow } from './schema-deep-linking.ts';
import type {
  FeedbackDeliveryRow,
  GradeOutboxRow,
  GradeTargetRow,
  ReviewCommentRow,
  ReviewScoreRow,
} from './schema-grader-desk.ts';
import type { AssignmentExtensionRow, ForgePushRow, ForkStateRow, SubmissionRow } from './schema-teaching.ts';
import type { WorkspaceRow } from './schema-workspaces.ts';
import type { LabgateSecretRow } from './schema-privacy.ts';

export type * from './schema-deep-linking.ts';
export type * from './schema-grader-desk.ts';
export type * from './schema-teaching.ts';
export type * from './schema-workspaces.ts';
export type * from './schema-privacy.ts';

/** Row shapes as stored. Times are epoch milliseconds; ids are random text so both dialects agree. */
export interface Database {
  lti_consumers: LtiConsumerRow;
  lti_nonces: LtiNonceRow;
  lti13_platforms: Lti13PlatformRow;
  lti13_login_states: Lti13LoginStateRow;
  tool_keys: ToolKeyRow;
  users: UserRow;
  user_identities: UserIdentityRow;
  courses: CourseRow;
  enrolments: EnrolmentRow;
  sessions: SessionRow;
  assignments: AssignmentRow;
  provisionings: ProvisioningRow;
  grading_jobs: GradingJobRow;
  grading_results: GradingResultRow;
  forge_course_groups: ForgeCourseGroupRow;
  workspaces: WorkspaceRow;
  oidc_clients: OidcClientRow;
  oidc_keys: OidcKeyRow;
  oidc_records: OidcRecordRow;
  upstream_logins: UpstreamLoginRow;
  workspace_passes: WorkspacePassRow;
  assignment_extensions: AssignmentExtensionRow;
  forge_pushes: ForgePushRow;
  fork_states: ForkStateRow;
  submissions: SubmissionRow;
  lti13_deep_linking_requests: Lti13DeepLinkingRequestRow;
  grade_targets: GradeTargetRow;
  grade_outbox: GradeOutboxRow;
  review_scores: ReviewScoreRow;
  review_comments: ReviewCommentRow;
  feedback_deliveries: FeedbackDeliveryRow;
  labgate_secrets: LabgateSecretRow;
}

export interface LtiConsumerRow {
  consumer_key: string;
  name: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  allowed_origin: string | null;
  created_at: number;
}

export interface LtiNonceRow {
  consumer_key: string;
  timestamp: number;
  nonce: string;
  expires_at: number;
}

export interface Lti13PlatformRow {
  id: string;
  name: string;
  issuer: string;
  client_id: string;
  auth_login_url: string;
  jwks_url: string;
  token_url: string | null;
  deployment_ids: string;
  created_at: number;
}

export interface Lti13LoginStateRow {
  state: string;
  nonce: string;
  platform_id: string;
  target_link_uri: string;
  browser_hash: string;
  expires_at: number;
}

export interface ToolKeyRow {
  kid: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
}

export interface UserRow {
  id: string;
  display_name: string | null;
  email: string | null;
  created_at: number;
  updated_at: number;
  /** Set when an administrator disabled the account: no sign-in to GitLab through labgate. */
  disabled_at: number | null;
}

export interface UserIdentityRow {
  kind: string;
  issuer: string;
  client_id: string;
  subject: string;
  user_id: string;
  created_at: number;
}

export interface CourseRow {
  id: string;
  lms: string;
  context_id: string;
  title: string;
  label: string | null;
  created_at: number;
}

export interface EnrolmentRow {
  course_id: string;
  user_id: string;
  role: string;
  updated_at: number;
}

export interface SessionRow {
  id_hash: string;
  user_id: string;
  course_id: string | null;
  role: string | null;
  via: string;
  locale: string;
  csrf_token: string;
  return_url: string | null;
  created_at: number;
  expires_at: number;
  handoff_hash: string | null;
  handoff_expires_at: number | null;
}

export interface AssignmentRow {
  id: string;
  course_id: string;
  slug: string;
  title: string;
  /** The teacher's template project in GitLab, by full path (`teachers/python-101`). */
  template: string;
  /** The private grading repository (grading.yml and expected files), by full path; null until made. */
  grading_repo: string | null;
  /** When work is due (ms since the epoch); null: no deadline. */
  deadline: number | null;
  /** The workspace image learners get (one of the allowed images); null: the default image. */
  image: string | null;
  /** After the deadline: `accept` (late pushes recorded as late) or `lock` (the fork's branch is locked). */
  late_policy: string;
  /** When the teacher released feedback to learners; null: not released. */
  feedback_released_at: number | null;
  /** The file learners land in, from the repository's top (`notebooks/ex1.ipynb`); null: the first notebook. */
  open_file: string | null;
  created_at: number;
}

export interface ProvisioningRow {
  id: string;
  /** `fork:<user>:<assignment>` or `staff:<user>:<course>`: one job per learner and assignment. */
  job_key: string;
  kind: string;
  user_id: string;
  /** JSON: who and what to provision, as known at the launch that asked for it. */
  spec: string;
  status: string;
  step: string;
  /** JSON: what the steps so far learnt from GitLab (user, group, fork). */
  state: string;
  attempts: number;
  next_run_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface ForgeCourseGroupRow {
  course_id: string;
  group_id: number;
  full_path: string;
  web_url: string;
  created_at: number;
}

export interface OidcClientRow {
  client_id: string;
  /** The client's registered metadata (JSON), as oidc-provider reads it. */
  metadata: string;
  created_at: number;
}

export interface OidcKeyRow {
  kid: string;
  private_jwk: string;
  created_at: number;
}

/** oidc-provider's records: authorization codes, tokens, sessions, grants, interactions. */
export interface OidcRecordRow {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

/** A sign-in through the operator's identity provider, between the redirect and the callback. */
export interface UpstreamLoginRow {
  state: string;
  nonce: string;
  verifier: string;
  return_to: string;
  created_at: number;
}

/** A one-time code (until redeemed), then the cookie of a workspace's own origin; hashes only. */
export interface WorkspacePassRow {
  id: string;
  /** `sessions.id_hash`: the pass dies with the session (sign-out, expiry). */
  session_hash: string;
  workspace_id: string;
  /** Hash of the state cookie the workspace origin set in the browser that asked for the code. */
  state_hash: string;
  code_hash: string | null;
  code_expires_at: number | null;
  cookie_hash: string | null;
  created_at: number;
}

export interface GradingJobRow {
  id: string;
  /** `<assignment>:<user>:<submission commit>:<grading commit>`: the same grading is done once. */
  job_key: string;
  run_id: string;
  assignment_id: string;
  user_id: string;
  fork_id: number;
  submission_commit: string;
  grading_commit: string;
  /** queued → running (leased) → done | failed. */
  status: string;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  score: number | null;
  max_score: number | null;
  /** The whole result as JSON (questions, checks, notes). */
  result: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface GradingResultRow {
  job_id: string;
  question_id: string;
  file: string;
  score: number;
  max_score: number;
  status: string;
  /** The question's checks as JSON. */
  checks: string;
}
