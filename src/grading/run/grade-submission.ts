import { readFileSync } from 'node:fs';
import type { JobOutcome, JobSpec } from '../../workspaces/index.ts';
import { scoreQuestion } from '../checks/index.ts';
import type { GradeResult, NotRun, QuestionSeen, TestSeen, ValueSeen } from '../grading.ts';
import type { GradingSpec } from '../spec/grading-spec.ts';
import { parseDriverAnswer, type DriverAnswer } from './driver-answer.ts';
import { planGrading, type QuestionPlan } from './grade-plan.ts';
import { assembleSubmission } from './submission-files.ts';
import { tarOf, type Files } from './tar-files.ts';

const driverSource = readFileSync(new URL('./grade-driver.py', import.meta.url), 'utf8');

/** What grading needs of a container engine: one confined, network-less run (workspaces' DockerJobs). */
export interface GradingJobs {
  run(o: JobSpec): Promise<Pick<JobOutcome, 'stdout' | 'overflowed' | 'timedOut' | 'exitCode'>>;
}

export interface GradeOptions {
  jobs: GradingJobs;
  image: string;
  uid: number;
  gradingCommit?: string;
}

/** Runs the planned notebooks in one fresh sandbox: what it saw, and why it ended early if it did. */
async function runSandbox(
  spec: GradingSpec,
  files: Files,
  plan: ReturnType<typeof planGrading>,
  o: GradeOptions,
) {
  const d = spec.defaults;
  const empty: DriverAnswer = { stops: new Map(), files: new Map(), done: true, failed: undefined };
  if (plan.driver.files.length === 0) return { answer: empty, ended: undefined };
  const tar = await tarOf(files);
  const head = {
    cell_s: d.timeout.cell_s,
    total_s: d.timeout.total_s,
    output_bytes: d.limits.output_kb * 1024,
  };
  const input = Buffer.concat([
    Buffer.from(`${JSON.stringify({ ...head, tarBytes: tar.length, files: plan.driver.files })}\n`),
    tar,
  ]);
  const out = await o.jobs.run({
    image: o.image,
    command: ['python3', '-I', '-c', driverSource],
    input,
    uid: o.uid,
    memoryBytes: d.limits.memory_mb * 2 ** 20,
    cpus: d.limits.cpus,
    pids: d.limits.pids,
    tmpBytes: d.limits.tmp_mb * 2 ** 20,
    timeoutMs: (d.timeout.total_s + 30) * 1000,
    outputCapBytes: d.limits.output_kb * 1024 * 4 + 65_536,
  });
  const answer = parseDriverAnswer(out.stdout);
  const ended: NotRun | undefined = answer.done
    ? undefined
    : out.timedOut
      ? {
          reason: 'timeout',
          message: `grading took longer than ${d.timeout.total_s} s in all and was stopped`,
        }
      : out.overflowed
        ? { reason: 'output-limit', message: 'the notebook produced more output than grading reads' }
        : answer.failed
          ? { reason: 'sandbox-failed', message: `the grading sandbox failed: ${answer.failed}` }
          : {
              reason: 'sandbox-failed',
              message: `the grading sandbox ended early (exit code ${out.exitCode ?? 'none'}): the program ran out of memory or ended it`,
            };
  return { answer, ended };
}

function seenFor(p: QuestionPlan, answer: DriverAnswer, ended: NotRun | undefined): QuestionSeen {
  const base = { source: p.block?.source, unchanged: p.unchanged };
  const none = { outputs: p.savedOutputs, checks: p.question.checks.map(() => undefined) };
  if (p.notRun || p.stop === undefined) return { ...base, ...none, notRun: p.notRun };
  const stop = answer.stops.get(p.stop);
  if (!stop) {
    const why = answer.files.get(p.file.path);
    const notRun: NotRun = why
      ? { reason: why.reason, message: why.message }
      : (ended ?? { reason: 'not-reached', message: 'this block was not reached' });
    return { ...base, ...none, notRun };
  }
  let v = 0;
  let t = 0;
  const checks = p.question.checks.map((c): ValueSeen | TestSeen | undefined =>
    c.type === 'value'
      ? ((stop.values[v++] ?? undefined) as ValueSeen | undefined)
      : c.type === 'test'
        ? (stop.tests[t++] ?? undefined)
        : undefined,
  );
  return { ...base, outputs: stop.outputs, checks, notRun: undefined };
}

/**
 * Grades one submission: the learner's files with the template's put back where they are not the
 * learner's, run in a fresh sandbox, then judged here against the spec. Never throws on learner input.
 */
export async function gradeSubmission(spec: GradingSpec, template: Files, learner: Files, o: GradeOptions) {
  const started = performance.now();
  const { files, notes } = assembleSubmission(spec, template, learner);
  const plan = planGrading(spec, template, files);
  const ran = await runSandbox(spec, files, plan, o);
  const tolerance = {
    rtol: spec.defaults.tolerance.rtol ?? 1e-6,
    atol: spec.defaults.tolerance.atol ?? 1e-9,
  };
  const questions = plan.questions.map((p) =>
    scoreQuestion(p.file.path, p.question, seenFor(p, ran.answer, ran.ended), tolerance),
  );
  const result: GradeResult & { notes: string[] } = {
    score: round(questions.reduce((s, q) => s + q.score, 0)),
    maxScore: round(questions.reduce((s, q) => s + q.maxScore, 0)),
    questions,
    ...(o.gradingCommit ? { gradingCommit: o.gradingCommit } : {}),
    durationMs: Math.round(performance.now() - started),
    notes,
  };
  return result;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
