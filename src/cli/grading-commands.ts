import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { gradeSubmission, loadSpecFolder, readFolder } from '../grading/index.ts';
import { complain, jsonText, say } from './terminal-text.ts';

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
    .description('grade one submission folder in a fresh sandbox with the spec in DIR')
    .argument('<dir>', 'the grading folder')
    .argument('<submission>', "the learner's folder")
    .option('--json', 'print the result as JSON')
    .option('--image <image>', 'the image to run it in (default: WORKSPACE_IMAGE)')
    .action(async (dir: string, submissionDir: string, o: { json?: boolean; image?: string }) => {
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
    });
  return grading;
}
