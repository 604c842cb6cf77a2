import type { ManifestRow } from '../flows/index.ts';
import { csvField } from './roster-table.ts';

/** The manifest's columns: its header row, in this order. */
const columns: Array<[string, (r: ManifestRow) => string]> = [
  ['learner', (r) => r.folder],
  ['name', (r) => r.name],
  ['lms_id', (r) => r.lmsId],
  ['gitlab_username', (r) => r.gitlabUsername],
  ['commit', (r) => r.commit],
  ['pushed_at', (r) => r.pushedAt],
  ['deadline', (r) => r.deadline],
  ['late', (r) => r.late],
  ['late_delay', (r) => r.lateDelay],
  ['late_commit', (r) => r.lateCommit],
  ['tag', (r) => r.tag],
  ['status', (r) => r.status],
  ['files', (r) => String(r.files)],
  ['skipped', (r) => r.skipped.join('; ')],
];

/** The file name of an assignment's manifest, beside `submitted/`. */
export const manifestName = (slug: string) => `manifest-${slug}.csv`;

/** The manifest as CSV text: UTF-8, a header row, CRLF, cells escaped as the roster's (no formulas). */
export function manifestCsv(rows: ManifestRow[]): string {
  const line = (cells: string[]) => `${cells.map(csvField).join(',')}\r\n`;
  return (
    line(columns.map(([name]) => name)) + rows.map((r) => line(columns.map(([, get]) => get(r)))).join('')
  );
}
