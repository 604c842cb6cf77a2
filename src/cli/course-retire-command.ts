import type { Command } from 'commander';
import { executeRetirement, planRetirement, type RetirementProgress } from '../flows/index.ts';
import { confirmed } from './confirm.ts';
import { progressBar } from './progress-bar.ts';
import { complain, jsonText, say } from './terminal-text.ts';
import { withPersonData } from './users-commands.ts';

interface RetireOptions {
  after: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addCourseRetireCommand(courses: Command) {
  courses
    .command('retire')
    .description(
      'end a course: archive its forks read-only on the forge, then erase the data of learners inactive for DAYS (asks first)',
    )
    .argument('<course_id>', 'course id (see `labgate courses list`)')
    .requiredOption('--after <days>', 'retention period: learners active within it keep their data')
    .option('--dry-run', 'list what would be archived and erased; change nothing')
    .option('--yes', 'do not ask (scripts, CI)')
    .option('--json', 'with --dry-run: print the plan as JSON')
    .action(async (courseId: string, o: RetireOptions) => {
      const afterDays = /^\d{1,5}$/.test(o.after) ? Number(o.after) : NaN;
      if (!Number.isInteger(afterDays)) {
        complain('labgate: --after wants a number of days from 0 to 99999, e.g. --after 365.');
        process.exitCode = 2;
        return;
      }
      await withPersonData(async (d) => {
        const course = await d.services.courses.findCourse(courseId);
        if (!course) {
          complain(`labgate: no course ${courseId}; see \`labgate courses list\`.`);
          process.exitCode = 2;
          return;
        }
        const plan = await planRetirement(d.deps, { courseId, afterDays, now: d.services.now() });
        if (o.dryRun && o.json) return void process.stdout.write(`${jsonText(plan)}\n`);
        const whole = plan.erase.filter((l) => l.scope === 'person').length;
        say(
          `course ${course.id} (${course.title}):`,
          `  ${plan.forks.length} forks to archive (read-only, still readable)`,
          `  ${plan.erase.length} learners inactive since before ${day(plan.cutoff)}: their data in this course goes` +
            ` (${whole} with no other course: their whole record and GitLab account)`,
          `  ${plan.kept.length} learners active since ${day(plan.cutoff)} keep their data`,
          '  Grades already sent to the LMS stay in the LMS.',
        );
        if (o.dryRun) {
          for (const l of plan.erase)
            say(`  would erase ${l.userId} (${l.scope}, last active ${day(l.lastActiveAt)})`);
          return say('dry run: nothing was changed');
        }
        if (!(await confirmed(`Retire course ${course.id}?`, o))) return;
        const bars = { archive: progressBar('archiving forks'), erase: progressBar('erasing learners') };
        let phase: RetirementProgress['phase'] | undefined;
        const report = await executeRetirement(d.deps, plan, (p) => {
          if (phase && phase !== p.phase) bars[phase].end();
          phase = p.phase;
          bars[p.phase].update(p.done, p.total);
        });
        if (phase) bars[phase].end();
        say(
          `retired ${course.id}: ${report.archived} forks archived (${report.missing} already gone), ${report.erased} learners erased`,
        );
        for (const f of report.failed) complain(`labgate: ${f.userId ?? ''} ${f.what}: ${f.error}`);
        if (report.failed.length) {
          complain('labgate: what failed is kept; run the same command again to finish.');
          process.exitCode = 1;
        }
      });
    });
}
