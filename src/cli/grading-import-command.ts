import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { isAppError } from '../errors.ts';
import { importNbgrader, parseGradingSpec } from '../grading/index.ts';
import { complain, say } from './terminal-text.ts';

/** The entries of `dir`, or none when it does not exist yet. */
const entriesOf = (dir: string) =>
  readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err.code === 'ENOTDIR' ? new Error(`${dir} is a file, not a folder`) : err;
  });

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What the grading.yml written holds, for the summary line. */
function summary(yml: string): string {
  const parsed = parseGradingSpec(yml);
  if (!parsed.ok) return '';
  const questions = parsed.spec.files.flatMap((f) => f.questions);
  const points = questions.reduce((s, q) => s + (q.points ?? 0), 0);
  const tests = questions.filter((q) => q.checks.some((c) => c.type === 'test')).length;
  return `${plural(questions.length, 'question')}, ${plural(points, 'point')} (${tests} autograded by tests, ${questions.length - tests} graded by hand)`;
}

/** `labgate grading import-nbgrader SOURCE --out DIR`, registered on the `grading` command. */
export function addGradingImportCommand(grading: Command) {
  grading
    .command('import-nbgrader')
    .description(
      "make a grading folder from an nbgrader source notebook: grading.yml, the expected notebook, and template/ as nbgrader's release",
    )
    .argument(
      '<source>',
      'the nbgrader source notebook (BEGIN SOLUTION markers, hidden tests, nbgrader metadata)',
    )
    .requiredOption('--out <dir>', 'the grading folder to write (made when missing)')
    .option('--force', 'write into DIR even when it is not empty, replacing the files of the same name')
    .action(async (source: string, o: { out: string; force?: boolean }) => {
      try {
        const name = path.basename(source);
        const result = importNbgrader(await readFile(source, 'utf8'), name);
        if (!o.force && (await entriesOf(o.out)).length > 0) {
          complain(
            `labgate: ${o.out} is not empty; choose an empty folder, or pass --force to write into it`,
          );
          process.exitCode = 1;
          return;
        }
        const file = /\.ipynb$/i.test(name) ? name : `${name}.ipynb`;
        await mkdir(path.join(o.out, 'template'), { recursive: true });
        const written: Array<[string, string]> = [
          [path.join(o.out, 'grading.yml'), result.gradingYml],
          [path.join(o.out, file), result.expected],
          [path.join(o.out, 'template', file), result.template],
        ];
        for (const [where, text] of written) await writeFile(where, text);
        say(...written.map(([where]) => `wrote ${where}`));
        for (const note of result.notes) say(`note: ${note}`);
        say(summary(result.gradingYml));
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const lines = e.code === 'ENOENT' && e.path ? [`${e.path}: no such file`] : e.message.split('\n');
        complain(
          `labgate: ${lines[0]}`,
          ...lines.slice(1),
          ...(isAppError(err) && err.hint ? [err.hint] : []),
        );
        process.exitCode = 1;
      }
    });
}
