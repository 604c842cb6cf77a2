import { delayText, type RosterRow } from '../courses/index.ts';

/** The roster's columns, in the order the page, the CSV and the JSON give them. */
export const rosterColumns = [
  'name',
  'lmsId',
  'email',
  'gitlabUsername',
  'forkPath',
  'provisioning',
  'provisioningError',
  'workspace',
  'score',
  'maxScore',
  'gradedAt',
  'lastPushAt',
  'ahead',
  'behind',
  'templateState',
  'conflicts',
  'updateResult',
  'deadline',
  'submittedCommit',
  'submittedAt',
  'lateByMs',
  'lmsGrade',
  'lmsGradeSentAt',
  'lmsGradeAnswer',
] as const;
export type RosterColumn = (typeof rosterColumns)[number];

const times = new Set<RosterColumn>(['gradedAt', 'lastPushAt', 'deadline', 'submittedAt', 'lmsGradeSentAt']);
const numbers = new Set<RosterColumn>([...times, 'score', 'maxScore', 'ahead', 'behind', 'lateByMs']);

/** A cell as text: times in UTC (ISO 8601), lateness in words, lists joined with `; `. */
export const cellText = (r: RosterRow, c: RosterColumn): string => {
  const v = r[c];
  if (v === undefined) return '';
  if (times.has(c)) return new Date(v as number).toISOString();
  if (c === 'lateByMs') return delayText(v as number);
  if (Array.isArray(v)) return v.join('; ');
  // A learner of the course who never opened this assignment from the LMS has no fork yet.
  if (c === 'provisioning' && v === 'none') return 'never launched';
  if (c === 'lmsGrade') return v === 'no-link' ? 'no LMS link' : v === 'none' ? '' : String(v);
  return String(v);
};

/** Rows filtered by a text any cell may hold, sorted by a column (numbers as numbers), stable. */
export function arrange(rows: RosterRow[], o: { sort?: string; desc?: boolean; filter?: string }) {
  const needle = o.filter?.trim().toLowerCase();
  const kept = needle
    ? rows.filter((r) => rosterColumns.some((c) => cellText(r, c).toLowerCase().includes(needle)))
    : rows;
  const column = rosterColumns.find((c) => c === o.sort) ?? 'name';
  const numeric = numbers.has(column);
  const value = (r: RosterRow) =>
    numeric ? ((r[column] as number | undefined) ?? -Infinity) : cellText(r, column);
  const sorted = kept
    .map((r, i) => ({ r, i, v: value(r) }))
    .sort((a, b) => {
      const d = numeric ? (a.v as number) - (b.v as number) : (a.v as string).localeCompare(b.v as string);
      return (o.desc ? -d : d) || a.i - b.i;
    });
  return sorted.map((x) => x.r);
}

/** A CSV field: quoted when needed, and never read as a formula by a spreadsheet (LMS names are input). */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The roster as CSV lines (UTF-8, a header row, CRLF as RFC 4180 says), yielded row by row to stream. */
export function* rosterCsv(rows: RosterRow[]): Generator<string> {
  yield `${rosterColumns.join(',')}\r\n`;
  for (const r of rows) yield `${rosterColumns.map((c) => csvField(cellText(r, c))).join(',')}\r\n`;
}
