import { z } from 'zod';
import { AppError } from '../../errors.ts';

export type CellType = 'code' | 'markdown' | 'raw';

/** A cell's nbgrader roles, read as nbgrader's `utils.is_*` read them. */
export interface NbgraderCell {
  /** The metadata as written in the source. */
  meta: Record<string, unknown>;
  grade: boolean;
  solution: boolean;
  /** `is_locked`: never for solution cells, always for grade cells, else the `locked` flag. */
  locked: boolean;
  task: boolean;
  gradeId: string | undefined;
  points: number | undefined;
}

export interface SourceCell {
  /** 0-based position; messages say `cell ${index + 1}`. */
  index: number;
  type: CellType;
  source: string;
  /** The cell as read, every key kept. */
  json: Record<string, unknown>;
  nbgrader: NbgraderCell | undefined;
}

export interface NbgraderSource {
  metadata: Record<string, unknown>;
  nbformatMinor: number;
  /** `kernelspec.language`, python when absent: what nbgrader picks its code stub by. */
  language: string;
  cells: SourceCell[];
  /** What is wrong with the cells, each naming its cell; empty when the source is sound. */
  problems: string[];
}

export const nbgraderSourceError = (file: string, problems: string[]) =>
  new AppError({
    code: 'GRADING_NBGRADER_SOURCE',
    status: 422,
    message:
      problems.length === 1
        ? `${file}: ${problems[0]}`
        : `${file} has ${problems.length} problems:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    hint: "Fix the source notebook (nbgrader's Create Assignment toolbar, or its JSON) and import it again.",
  });

const record = z.record(z.string(), z.unknown());
const notebook = z.looseObject({
  nbformat: z.literal(4),
  nbformat_minor: z.number().int().min(0),
  metadata: record.default({}),
  cells: z.array(z.unknown()),
});
const cell = z.looseObject({
  cell_type: z.enum(['code', 'markdown', 'raw']),
  source: z.union([z.string(), z.array(z.string())]),
  metadata: record.default({}),
});

/** nbgrader/nbgraderformat/v3.json, whose `additionalProperties: false` refuses unknown keys. */
const metaV3 = z.strictObject({
  schema_version: z.literal(3),
  grade: z.boolean(),
  solution: z.boolean(),
  locked: z.boolean(),
  task: z.boolean().optional(),
  grade_id: z.string().optional(),
  points: z.number().optional(),
  checksum: z.string().length(32).optional(),
  cell_type: z.enum(['code', 'markdown', 'raw']).optional(),
});

// nbgrader's grade_id pattern; labgate's grade_id locator takes at most 200 characters.
const gradeIdPattern = /^[a-zA-Z0-9_-]*$/;
const maxGradeId = 200;
const maxPoints = 1000;

export const cellLabel = (c: Pick<SourceCell, 'index' | 'nbgrader'>) =>
  `cell ${c.index + 1}${c.nbgrader?.gradeId ? ` (grade_id ${JSON.stringify(c.nbgrader.gradeId)})` : ''}`;

function readMeta(raw: unknown): NbgraderCell {
  const meta = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const flag = (k: string) => meta[k] === true;
  return {
    meta,
    grade: flag('grade'),
    solution: flag('solution'),
    locked: !flag('solution') && (flag('grade') || flag('locked')),
    task: flag('task'),
    gradeId: typeof meta.grade_id === 'string' ? meta.grade_id : undefined,
    points: typeof meta.points === 'number' ? meta.points : undefined,
  };
}

/** nbgrader refuses metadata of another format version (generate_assignment asks for `nbgrader update`). */
function formatProblem(meta: Record<string, unknown>): string | undefined {
  const version = typeof meta.schema_version === 'number' ? meta.schema_version : 0;
  if (version < 3)
    return `nbgrader's old metadata format ${version}; run \`nbgrader update\` on the notebook first (nbgrader's generate_assignment refuses it too)`;
  if (version > 3) return `nbgrader metadata format ${version}, newer than the 3 this importer reads`;
  return undefined;
}

/** What nbgrader's metadata validator (v3.py) refuses, and what labgate's spec could not hold. */
function metaProblems(nb: NbgraderCell, type: CellType): string[] {
  const { meta, gradeId, points } = nb;
  const say: string[] = [];
  const parsed = metaV3.safeParse(meta);
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      say.push(
        issue.code === 'unrecognized_keys'
          ? `its nbgrader metadata has unknown key(s) ${issue.keys.join(', ')}`
          : `nbgrader.${issue.path.join('.') || '(metadata)'}: ${issue.message}`,
      );
  if ((nb.grade || nb.solution || meta.locked === true || nb.task) && !gradeId)
    say.push('has no grade_id (every graded, solution, locked or task cell needs one)');
  if (gradeId !== undefined && !gradeIdPattern.test(gradeId))
    say.push('its grade_id may hold only letters, digits, “_” and “-”');
  if (gradeId !== undefined && gradeId.length > maxGradeId)
    say.push(`its grade_id is longer than ${maxGradeId} characters`);
  if ((nb.grade || nb.task) && points === undefined && meta.points === undefined)
    say.push(`is a ${nb.task ? 'task' : 'grade'} cell without points`);
  if (points !== undefined && points < 0) say.push(`has negative points (${points})`);
  if (points !== undefined && points > maxPoints)
    say.push(`has ${points} points; labgate takes at most ${maxPoints}`);
  if (nb.task && type !== 'markdown')
    say.push('is a task cell but not Markdown (nbgrader tasks are Markdown)');
  if (!nb.task && type === 'markdown' && nb.grade !== nb.solution)
    say.push(
      `is a Markdown ${nb.grade ? 'grade cell that is not a solution cell' : 'solution cell that is not a grade cell'}: make it a "Manually graded answer"`,
    );
  return say;
}

/** Reads an nbgrader source notebook: fails on what is not a notebook, lists what is wrong with its cells. */
export function readNbgraderSource(text: string, file: string): NbgraderSource {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw nbgraderSourceError(file, [`is not a notebook: it is not valid JSON (${(err as Error).message})`]);
  }
  const version = (raw as { nbformat?: unknown } | null)?.nbformat;
  if (version !== 4)
    throw nbgraderSourceError(file, [
      `is not an nbformat 4 notebook (nbformat ${JSON.stringify(version ?? null)}); save it with a current Jupyter first`,
    ]);
  const nb = notebook.safeParse(raw);
  if (!nb.success) {
    const issue = nb.error.issues[0]!;
    throw nbgraderSourceError(file, [
      `is not a valid notebook: at ${issue.path.join('/') || 'the top'}, ${issue.message}`,
    ]);
  }
  const problems: string[] = [];
  // One line per format version, not one per cell: the whole notebook needs `nbgrader update`.
  const formats = new Map<string, number[]>();
  const cells = nb.data.cells.map((json, index): SourceCell => {
    const c = cell.safeParse(json);
    if (!c.success) {
      const issue = c.error.issues[0]!;
      problems.push(`cell ${index + 1}: is not a valid cell: at ${issue.path.join('/')}, ${issue.message}`);
      return { index, type: 'raw', source: '', json: {}, nbgrader: undefined };
    }
    const source = Array.isArray(c.data.source) ? c.data.source.join('') : c.data.source;
    const nbgrader = 'nbgrader' in c.data.metadata ? readMeta(c.data.metadata.nbgrader) : undefined;
    const result = { index, type: c.data.cell_type, source, json: { ...c.data }, nbgrader };
    const format = nbgrader && formatProblem(nbgrader.meta);
    if (format) formats.set(format, [...(formats.get(format) ?? []), index]);
    else if (nbgrader)
      problems.push(...metaProblems(nbgrader, result.type).map((m) => `${cellLabel(result)}: ${m}`));
    return result;
  });
  for (const [message, at] of formats)
    problems.push(`${cellsText(at)} ${at.length === 1 ? 'uses' : 'use'} ${message}`);
  problems.push(...duplicateIds(cells));
  const kernelspec = nb.data.metadata.kernelspec as { language?: unknown } | undefined;
  const language = typeof kernelspec?.language === 'string' ? kernelspec.language : 'python';
  return { metadata: nb.data.metadata, nbformatMinor: nb.data.nbformat_minor, language, cells, problems };
}

const cellsText = (at: number[]) =>
  at.length === 1 ? `cell ${at[0]! + 1}` : `cells ${at.map((i) => i + 1).join(', ')}`;

// generate_assignment refuses a repeated grade_id (autograde keeps the last); a locator must find one.
function duplicateIds(cells: SourceCell[]): string[] {
  const byId = new Map<string, number[]>();
  for (const c of cells)
    if (c.nbgrader?.gradeId) byId.set(c.nbgrader.gradeId, [...(byId.get(c.nbgrader.gradeId) ?? []), c.index]);
  return [...byId]
    .filter(([, at]) => at.length > 1)
    .map(
      ([id, at]) =>
        `grade_id ${JSON.stringify(id)} is used by ${cellsText(at)}: give each cell its own (nbgrader refuses it too, and its autograder keeps only the last)`,
    );
}
