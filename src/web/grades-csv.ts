import { delayText } from '../courses/index.ts';
import type { GradeReportRow } from '../flows/index.ts';
import { csvField } from './roster-table.ts';

type Cell = string | number | undefined;

/** The grades export's columns, in this order: its header row. */
const columns: Array<[string, (r: GradeReportRow) => Cell]> = [
  ['learner', (r) => r.name],
  ['lms_id', (r) => r.lmsId],
  ['gitlab_username', (r) => r.gitlabUsername],
  ['assignment', (r) => r.assignment],
  ['auto_score', (r) => r.auto],
  // Overrides and rubric points in one number: what the graders changed in the total.
  ['final_minus_auto', (r) => r.finalMinusAuto],
  ['final_score', (r) => r.final],
  ['max_score', (r) => r.maxScore],
  ['graded_by_hand', (r) => (r.auto === undefined ? undefined : r.reviewed ? 'yes' : 'no')],
  ['late', (r) => (r.lateByMs === undefined ? undefined : delayText(r.lateByMs))],
  ['passback_status', (r) => r.passback?.status],
  ['passback_answer', (r) => r.passback?.answer],
  ['feedback_released', (r) => (r.feedbackReleased ? 'yes' : 'no')],
  ['feedback_md_status', (r) => r.feedback?.status],
  ['feedback_md_commit', (r) => r.feedback?.commitSha],
];

/** Numbers are labgate's own (never a formula, a minus sign kept); text goes through the roster's guard. */
const cell = (v: Cell) => (v === undefined ? '' : typeof v === 'number' ? String(v) : csvField(v));

/** A byte order mark first, so that Excel reads the file as UTF-8 (accented names intact). */
export const utf8Bom = '\uFEFF';

/** The grades as CSV lines (RFC 4180: a header row, CRLF, quoted fields), yielded row by row to stream. */
export function* gradesCsv(rows: GradeReportRow[], o: { bom: boolean }): Generator<string> {
  yield `${o.bom ? utf8Bom : ''}${columns.map(([name]) => name).join(',')}\r\n`;
  for (const r of rows) yield `${columns.map(([, get]) => cell(get(r))).join(',')}\r\n`;
}

/** The file name an export is saved under: `grades-<course label or id>[-<assignment>].csv`, safe characters only. */
export function gradesFileName(course: { id: string; label: string | undefined }, slug?: string) {
  const base = (course.label ?? course.id).replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 60) || 'course';
  return `grades-${base}${slug ? `-${slug}` : ''}.csv`;
}
