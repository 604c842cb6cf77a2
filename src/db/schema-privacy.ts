/** Rows of labgate's own secrets (migration 014). Times are epoch milliseconds. */

/** A secret labgate made once and keeps (e.g. `forge-pseudonyms`, the key of pseudonymous usernames). */
export interface LabgateSecretRow {
  name: string;
  /** base64url of random bytes; never logged nor printed. */
  value: string;
  created_at: number;
}
