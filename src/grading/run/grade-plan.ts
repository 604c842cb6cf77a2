import type { Block, Document } from '../documents/document.ts';
import { readDocument } from '../documents/read-document.ts';
import type { NotRun, OutputsSeen } from '../grading.ts';
import { locateBlocks } from '../spec/block-locate.ts';
import type { GradedFile, GradingSpec, Question } from '../spec/grading-spec.ts';
import type { Files } from './tar-files.ts';

/** One question of one submission, located, with where its observations will come from. */
export interface QuestionPlan {
  file: GradedFile;
  question: Question;
  /** The learner's block, when found. */
  block: Block | undefined;
  unchanged: boolean;
  /** Set when the question cannot be run at all (its file or block is missing). */
  notRun: NotRun | undefined;
  /** Saved outputs, for files labgate does not run. */
  savedOutputs: OutputsSeen | undefined;
  /** The stop's id in the driver's plan, when the block is run. */
  stop: number | undefined;
}

export interface DriverStop {
  id: number;
  block: number;
  values: string[];
  tests: string[];
}
export interface DriverPlan {
  files: Array<{ path: string; kernel: string; stops: DriverStop[] }>;
}

const normalized = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

const asDocument = (path: string, bytes: Buffer | undefined): Document | undefined => {
  if (!bytes) return undefined;
  try {
    const d = readDocument(path, bytes);
    return d.format === 'binary' ? undefined : d;
  } catch {
    return undefined;
  }
};

export function savedOutputs(b: Block): OutputsSeen {
  const seen: OutputsSeen = { stdout: '', stderr: '', result: '', error: null };
  for (const o of b.outputs) {
    if (o.type === 'stream') seen[o.name === 'stderr' ? 'stderr' : 'stdout'] += o.text;
    else if (o.type === 'data' && o.data['text/plain'] !== undefined)
      seen.result += `${o.data['text/plain']}\n`;
    else if (o.type === 'error') seen.error = { ename: o.ename, evalue: o.evalue };
  }
  return seen;
}

const kernelOf = (f: GradedFile, doc: Document) => {
  const spec = doc.metadata['kernelspec'];
  const name = spec && typeof spec === 'object' ? (spec as Record<string, unknown>)['name'] : undefined;
  return f.kernel ?? (typeof name === 'string' && /^[A-Za-z0-9._-]{1,100}$/.test(name) ? name : 'python3');
};

/** Locates every question in the submission and plans what the sandbox must run and observe. */
export function planGrading(spec: GradingSpec, template: Files, submission: Files) {
  const questions: QuestionPlan[] = [];
  const driver: DriverPlan = { files: [] };
  let nextStop = 0;
  for (const f of spec.files) {
    const doc = asDocument(f.path, submission.get(f.path));
    const original = asDocument(f.path, template.get(f.path));
    const runs = doc?.format === 'notebook';
    const stops: DriverStop[] = [];
    // A question on a locked block (a test cell the template owns) always has the template's text.
    const locked = new Set(original ? f.locked.flatMap((l) => locateBlocks(original, l)) : []);
    for (const q of f.questions) {
      const found = doc ? locateBlocks(doc, q.locate) : [];
      const at = found.length === 1 ? found[0]! : undefined;
      const block = at === undefined ? undefined : doc!.blocks[at];
      const t = original ? locateBlocks(original, q.locate) : [];
      const templateBlock = t.length === 1 ? original!.blocks[t[0]!] : undefined;
      const missing: NotRun | undefined = !doc
        ? { reason: 'missing-block', message: `${f.path} is missing from the submission, or cannot be read` }
        : block === undefined
          ? {
              reason: 'missing-block',
              message: `the block of question ${q.id} is ${found.length ? 'there more than once' : 'missing'} in ${f.path}`,
            }
          : undefined;
      const needsRun = q.checks.some((c) => c.type === 'value' || c.type === 'test' || c.type === 'output');
      const stop = runs && !missing && needsRun && at !== undefined ? nextStop++ : undefined;
      if (stop !== undefined)
        stops.push({
          id: stop,
          block: at!,
          values: q.checks.flatMap((c) => (c.type === 'value' ? [c.expr] : [])),
          tests: q.checks.flatMap((c) => (c.type === 'test' ? [c.code] : [])),
        });
      questions.push({
        file: f,
        question: q,
        block,
        unchanged: Boolean(
          block &&
          templateBlock &&
          !locked.has(t[0]!) &&
          normalized(block.source) === normalized(templateBlock.source),
        ),
        notRun: missing,
        savedOutputs: !runs && block ? savedOutputs(block) : undefined,
        stop,
      });
    }
    if (stops.length > 0 && doc) driver.files.push({ path: f.path, kernel: kernelOf(f, doc), stops });
  }
  return { questions, driver };
}
