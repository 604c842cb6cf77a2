import { AppError } from '../errors.ts';
import {
  diffText,
  filesOf,
  gradeSubmission,
  locateBlocks,
  readDocument,
  type GradingJobs,
  type GradingSpec,
  type QuestionResult,
} from '../grading/index.ts';
import type { SandboxSession, Workspace } from '../workspaces/index.ts';
import type { ClassGrading } from './class-grading.ts';

export interface AnswerCheckDeps {
  classGrading: Pick<ClassGrading, 'assignmentSpec'>;
  sandbox: { jobs: GradingJobs; image: string; uid: number };
  /** A learner checks an assignment at most once in this many seconds. */
  intervalSeconds: number;
  now?: () => number;
}

type Reveal = 'none' | 'result' | 'diff';
export interface CheckedQuestion {
  id: string;
  status: 'passed' | 'not-yet' | 'no-response';
  hint?: string;
  checks?: Array<{ passed: boolean; message: string }>;
  /** The learner's block against the expected one, line by line (`reveal: diff`). */
  diff?: Array<{ op: 'same' | 'add' | 'remove'; text: string }>;
}

const maxWorkBytes = 100 * 2 ** 20;
const tooSoon = (seconds: number) =>
  new AppError({
    code: 'GRADING_CHECK_TOO_SOON',
    status: 429,
    message: `You checked your answers a moment ago: you can check again in ${seconds} s.`,
    hint: 'Use the time to look at the hints of the questions not yet right.',
    details: { seconds },
  });

/** The spec with hidden checks left out (and questions with nothing visible): what learners may run. */
const visibleOnly = (spec: GradingSpec): GradingSpec => ({
  ...spec,
  files: spec.files
    .map((f) => ({
      ...f,
      questions: f.questions.flatMap((q) => {
        const checks = q.checks.filter((c) => !c.hidden && c.type !== 'manual');
        return checks.length ? [{ ...q, checks }] : [];
      }),
    }))
    .filter((f) => f.questions.length > 0),
});

function blockSource(path: string, bytes: Buffer | undefined, spec: GradingSpec, questionId: string) {
  const q = spec.files.find((f) => f.path === path)?.questions.find((x) => x.id === questionId);
  if (!bytes || !q) return undefined;
  try {
    const doc = readDocument(path, bytes);
    if (doc.format === 'binary') return undefined;
    const found = locateBlocks(doc, q.locate);
    return found.length === 1 ? doc.blocks[found[0]!]!.source : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Check my answer: the assignment's visible checks run on the learner's saved files in a fresh
 * sandbox; per question passed / not yet / no response, the hints, and with `reveal: diff` the
 * block against the expected one. Once per `intervalSeconds` per learner and assignment.
 */
export function createAnswerCheck(d: AnswerCheckDeps) {
  const now = d.now ?? Date.now;
  const last = new Map<string, number>();
  // A class checking at once reads the grading repository once per half minute, not once per learner.
  const specs = new Map<string, { at: number; spec: ReturnType<ClassGrading['assignmentSpec']> }>();
  const specOf = (courseId: string, slug: string) => {
    const key = `${courseId}\0${slug}`;
    const cached = specs.get(key);
    if (cached && now() - cached.at < 30_000) return cached.spec;
    const spec = d.classGrading.assignmentSpec(courseId, slug);
    specs.set(key, { at: now(), spec });
    spec.catch(() => specs.delete(key));
    return spec;
  };

  async function judge(ws: Workspace, session: SandboxSession) {
    const loaded = await specOf(ws.courseId, ws.assignment);
    const spec = visibleOnly(loaded.spec);
    const tar = await session.run(['tar', '-c', '-f', '-', '--exclude=./.git', '.'], {
      maxOutputBytes: maxWorkBytes,
      timeoutMs: 60_000,
    });
    if (tar.truncated)
      throw new AppError({
        code: 'GRADING_WORK_TOO_BIG',
        status: 413,
        message: `Your work folder holds more than ${maxWorkBytes >> 20} MB; checking reads the files of the exercise only when the folder is smaller.`,
        hint: 'Delete large files you do not need, then check again.',
      });
    const learner = await filesOf(tar.stdout, maxWorkBytes, 0);
    // The learner's own image (an LMS link may have chosen another than the default).
    const result = await gradeSubmission(spec, loaded.template, learner, {
      ...d.sandbox,
      image: ws.image ?? d.sandbox.image,
    });
    const policy = loaded.spec.defaults.reveal;
    // A learner with an extension sees the answers only once their own deadline has passed.
    const deadline = loaded.extensions.get(ws.userId) ?? loaded.deadline;
    const reveal: Reveal =
      deadline !== undefined && now() > deadline ? policy.after_deadline : policy.before_deadline;
    const questions = result.questions.map((q) =>
      shown(q, reveal, (qr) => {
        const mine = blockSource(qr.file, learner.get(qr.file), spec, qr.id) ?? '';
        const expected = blockSource(qr.file, loaded.expected.get(qr.file), spec, qr.id) ?? '';
        return diffText(mine, expected).ops.flatMap((op) =>
          op.op === 'replace'
            ? [
                ...op.left.map((text) => ({ op: 'remove' as const, text })),
                ...op.right.map((text) => ({ op: 'add' as const, text })),
              ]
            : op.lines.map((text) => ({ op: op.op === 'equal' ? ('same' as const) : op.op, text })),
        );
      }),
    );
    return { reveal, questions, nextCheckInSeconds: d.intervalSeconds };
  }

  return async function check(ws: Workspace, session: SandboxSession) {
    const key = `${ws.userId}\0${ws.courseId}\0${ws.assignment}`;
    const wait = Math.ceil(((last.get(key) ?? -Infinity) + d.intervalSeconds * 1000 - now()) / 1000);
    if (wait > 0) throw tooSoon(wait);
    last.set(key, now());
    try {
      return await judge(ws, session);
    } catch (err) {
      last.delete(key); // a check that could not run does not count against the learner
      throw err;
    }
  };
}

function shown(
  q: QuestionResult,
  reveal: Reveal,
  diff: (q: QuestionResult) => CheckedQuestion['diff'],
): CheckedQuestion {
  const status = q.status === 'passed' ? 'passed' : q.status === 'no-response' ? 'no-response' : 'not-yet';
  return {
    id: q.id,
    status,
    ...(q.hint && status !== 'passed' ? { hint: q.hint } : {}),
    ...(reveal !== 'none' ? { checks: q.checks.map((c) => ({ passed: c.passed, message: c.message })) } : {}),
    ...(reveal === 'diff' && status !== 'passed' ? { diff: diff(q) } : {}),
  };
}

export type AnswerCheck = ReturnType<typeof createAnswerCheck>;
