import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { gradesCsv } from '../web/grades-csv.ts';
import { progressBar } from './progress-bar.ts';
import { complain } from './terminal-text.ts';
import { withServices } from './with-services.ts';

interface ExportOptions {
  course: string;
  assignment?: string;
  out?: string;
}

/** A course or assignment that is not there: said plainly, exit status 2 (a usage error, nothing written). */
function unknown(what: string, hint: string) {
  complain(`labgate: ${what}.`, hint);
  process.exitCode = 2;
}

export function addGradesCommands(program: Command) {
  const grades = program.command('grades').description('the grades of a course');
  grades
    .command('export')
    .description(
      'write the grades of every assignment of a course (or of one) as CSV: learner, LMS id, automatic, final, late, passback, FEEDBACK.md',
    )
    .requiredOption('--course <id>', 'the course id (see `labgate courses list`)')
    .option('--assignment <slug>', 'only this assignment')
    .option(
      '--out <file>',
      'write to FILE, UTF-8 with a byte order mark for Excel (default: standard output)',
    )
    .action(async (o: ExportOptions) => {
      await withServices(async (s) => {
        if (!(await s.courses.findCourse(o.course)))
          return unknown(`there is no course ${o.course}`, 'See `labgate courses list` for the course ids.');
        if (o.assignment && !(await s.assignments.findAssignment(o.course, o.assignment)))
          return unknown(
            `course ${o.course} has no assignment ${o.assignment}`,
            'See `labgate assignments list` for its assignments.',
          );
        const { buildGradeReport } = await import('../app/feedback.ts');
        const report = buildGradeReport(s);
        let rows;
        if (o.assignment) rows = (await report.assignmentGrades(o.course, o.assignment)).rows;
        else {
          const bar = progressBar('grades');
          rows = (await report.courseGrades(o.course, (done, total) => bar.update(done, total))).rows;
          bar.end();
        }
        const text = [...gradesCsv(rows, { bom: Boolean(o.out) })].join('');
        if (!o.out) return void process.stdout.write(text);
        await writeFile(o.out, text, { mode: 0o600 });
        complain(`${rows.length} rows written to ${o.out}`);
      });
    });
  return grades;
}
