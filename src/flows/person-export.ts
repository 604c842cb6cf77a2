import type { PersonRow, PersonSummary } from '../identity/index.ts';
import type { ErasurePlan } from './person-erasure.ts';

// Columns that act as keys or tokens (a Jupyter token, a CSRF token, oidc-provider's token ids, Moodle's
// return URL with its sesskey): a copy of someone's data must not let its reader act as them.
const secretColumns: Record<string, string[]> = {
  sessions: ['csrf_token', 'id_hash', 'handoff_hash'],
  workspaces: ['token'],
  workspace_passes: ['session_hash', 'state_hash', 'code_hash', 'cookie_hash'],
  oidc_records: ['id', 'payload', 'grant_id', 'uid', 'user_code'],
  lti13_deep_linking_requests: ['session_hash', 'return_url'],
};
const withheld = '(secret: not exported)';

const redacted = (table: string, row: PersonRow): PersonRow =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, secretColumns[table]?.includes(k) && v !== null ? withheld : v]),
  );

/** What labgate holds on a person, for them (a subject access request): every row, secrets withheld. */
export function personExport(person: PersonSummary, plan: ErasurePlan, now: number) {
  const tables = Object.fromEntries(
    Object.entries(plan.records.tables).map(([t, rows]) => [t, rows.map((r) => redacted(t, r))]),
  );
  return {
    exportedAt: new Date(now).toISOString(),
    person,
    gitlab: {
      account: plan.forgeAccount ?? null,
      forks: plan.forks,
    },
    workspaces: plan.workspaces,
    records: tables,
    /** Rows about other people that this person wrote as a grader. */
    authored: plan.records.authored,
    note: 'Grades already sent to an LMS are kept by that LMS; labgate holds only the copies listed here.',
  };
}
