/** Rows of LTI 1.3 deep linking (migration 011). Times are epoch milliseconds. */

/**
 * An LMS's deep-linking request while its teacher picks an exercise: usable once, by the session that
 * received it, until `expires_at`. `return_url` is a secret (Moodle's carries the sesskey): never logged.
 */
export interface Lti13DeepLinkingRequestRow {
  /** Random, in the picker's URL. */
  id: string;
  /** SHA-256 of the teacher's session id: another browser or a later session finds nothing. */
  session_hash: string;
  user_id: string;
  course_id: string;
  /** The platform to answer: the response's `aud` (issuer) and `iss` (our client id). */
  issuer: string;
  client_id: string;
  deployment_id: string;
  return_url: string;
  /** JSON array: accept_presentation_document_targets as the LMS sent them. */
  targets: string;
  /** JSON of the request's `data` claim, echoed unchanged; null when the LMS sent none. */
  data: string | null;
  created_at: number;
  expires_at: number;
}
