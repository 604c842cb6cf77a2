import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { gradeSubmission, loadSpecFolder, readFolder } from '../grading/index.ts';
import { addGradingImportCommand } from './grading-import-command.ts';
import { progressBar } from './progress-bar.ts';
import { complain, jsonText, printTable, say } from './terminal-text.ts';

const maxSubmissionBytes = 200 * 2 ** 20;

/** The commit of the grading folder when it is a git checkout (each result records it). */
const commitOf = (dir: string) =>
  promisify(execFile)('git', ['-C', dir, 'rev-parse', '--verify', '-q', 'HEAD^{commit}']).then(
    (r) => r.stdout.trim() || undefined,
    () => undefined,
  );

export function addGradingCommands(program: Command) {
  const grading = program.command('grading').description('check grading specs and grade submissions');
  grading
    .command('validate')
    .description('check DIR/grading.yml and that each question finds exactly one block of the template')
    .argument('<dir>', 'the grading folder: grading.yml, expected files, template/')
    .action(async (dir: string) => {
      const loaded = await loadSpecFolder(dir);
      if (!loaded.ok) {
        complain(...loaded.lines);
        process.exitCode = 1;
        return;
      }
      const questions = loaded.spec.files.reduce((n, f) => n + f.questions.length, 0);
      say(`${dir}/grading.yml is valid: ${loaded.spec.files.length} file(s), ${questions} question(s).`);
    });
  grading
    .command('run')
    .description(
      'grade one submission folder with the spec in DIR, or (--course, --assignment) every learner of an assignment',
    )
    .argument('[dir]', 'the grading folder (one submission)')
    .argument('[submission]', "the learner's folder (one submission)")
    .option('--course <id>', 'grade a whole class: the course')
    .option('--assignment <slug>', "grade a whole class: the assignment (its grading repository's spec)")
    .option('--at <time>', "each learner's newest commit at this ISO time (default: the deadline, if set)")
    .option('--latest', "each learner's newest commit, whatever the deadline")
    .option('--concurrency <n>', 'submissions graded at once (default: the number of cores)')
    .option('--json', 'print the result as JSON')
    .option('--image <image>', 'the image to run it in (default: WORKSPACE_IMAGE)')
    .action(async (dir: string | undefined, submissionDir: string | undefined, o: RunOptions) => {
      if (o.course || o.assignment) return gradeClass(o, dir);
      if (!dir || !submissionDir)
        throw new Error('give a grading folder and a submission folder, or --course and --assignment');
      await gradeOne(dir, submissionDir, o);
    });
  addGradingImportCommand(grading);
  return grading;
}

interface RunOptions {
  course?: string;
  assignment?: string;
  at?: string;
  latest?: boolean;
  concurrency?: string;
  json?: boolean;
  image?: string;
}

async function gradeOne(dir: string, submissionDir: string, o: RunOptions) {
  const config = loadConfig('cli');
  const image = o.image ?? config.grading.image;
  if (!image) throw new Error('name the image to grade in with --image (or set WORKSPACE_IMAGE)');
  const loaded = await loadSpecFolder(dir);
  if (!loaded.ok) {
    complain(...loaded.lines);
    process.exitCode = 1;
    return;
  }
  const learner = await readFolder(submissionDir, maxSubmissionBytes);
  const { buildGradingJobs } = await import('../app/grading.ts');
  const gradingCommit = await commitOf(dir);
  const result = await gradeSubmission(loaded.spec, loaded.template, learner, {
    jobs: buildGradingJobs(config),
    image,
    uid: config.grading.uid,
    ...(gradingCommit ? { gradingCommit } : {}),
  });
  const { notes, ...shown } = result;
  if (o.json) return void process.stdout.write(`${jsonText(shown)}\n`);
  for (const q of result.questions) {
    say(`${q.id.padEnd(20)} ${`${q.score}/${q.maxScore}`.padStart(9)}  ${q.status}`);
    for (const c of q.checks)
      say(`  ${c.passed ? '✓' : '✗'} ${c.type}${c.hidden ? ' (hidden)' : ''}: ${c.message}`);
  }
  for (const n of notes) say(`note: ${n}`);
  say(`score ${result.score}/${result.maxScore} in ${(result.durationMs / 1000).toFixed(1)} s`);
}

async function gradeClass(o: RunOptions, dir: string | undefined) {
  if (dir)
    throw new Error(
      'with --course and --assignment, give no folder: the spec comes from the grading repository',
    );
  if (!o.course || !o.assignment) throw new Error('--course and --assignment go together');
  if (o.at && o.latest) throw new Error('--at and --latest cannot go together');
  const at = o.at ? new Date(o.at) : undefined;
  if (at && Number.isNaN(at.getTime()))
    throw new Error(`--at wants an ISO time such as 2026-12-01T18:00:00Z, got "${o.at}"`);
  const concurrency = o.concurrency === undefined ? undefined : Number(o.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64))
    throw new Error('--concurrency wants a whole number from 1 to 64');
  const config = loadConfig('cli');
  process.umask(0o077);
  const { openClassGrading } = await import('../app/class-grading.ts');
  const c = await openClassGrading(config);
  try {
    if (!(o.image ?? c.image))
      throw new Error('name the image to grade in with --image (or set WORKSPACE_IMAGE)');
    const bar = progressBar('grading');
    const run = await c.grading.gradeClass({
      courseId: o.course,
      slug: o.assignment,
      ...(at ? { at } : {}),
      ...(o.latest ? { latest: true } : {}),
      concurrency: concurrency ?? c.defaultConcurrency,
      ...(o.image ? { image: o.image } : {}),
      onProgress: (p) => bar.update(p.done + p.failed, p.total, p.failed ? `(${p.failed} failed)` : ''),
    });
    bar.end();
    const rows = run.jobs.map((j) => ({
      learner: j.userId,
      commit: j.submissionCommit.slice(0, 12),
      status: j.status,
      score: j.score === undefined ? '' : `${j.score}/${j.maxScore}`,
      error: j.error ?? '',
    }));
    if (o.json)
      return void process.stdout.write(
        `${jsonText({
          runId: run.runId,
          at: run.at?.toISOString() ?? null,
          gradingCommit: run.gradingCommit,
          counts: run.counts,
          unsubmitted: run.unsubmitted,
          results: rows,
        })}\n`,
      );
    printTable(rows, false);
    const scores = run.jobs.flatMap((j) => (j.score === undefined ? [] : [j.score]));
    const mean = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 0;
    say(
      `graded ${run.counts.done} of ${rows.length} (${run.counts.failed} failed) at ${run.at ? run.at.toISOString() : 'each newest commit'}, mean score ${mean.toFixed(2)}, grading commit ${run.gradingCommit.slice(0, 12)}` +
        (run.unsubmitted.length ? `; ${run.unsubmitted.length} learner(s) with no commit at that time` : ''),
    );
    if (run.counts.failed > 0) process.exitCode = 1;
  } finally {
    await c.close();
  }
}
