import type { Command } from 'commander';
import { printTable, say } from './terminal-text.ts';
import { withServices } from './with-services.ts';
import { loadConfig } from '../config.ts';

function isoTime(text: string, option: string): number {
  const t = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(t))
    throw new Error(`${option} wants an ISO time such as 2026-12-18T18:00:00+01:00, got "${text}"`);
  return t;
}

/** Makes the assignment's private grading repository when a forge is at hand, and says where it is. */
async function gradingRepoLine(courseId: string, slug: string): Promise<string> {
  try {
    const { openClassGrading } = await import('../app/class-grading.ts');
    const c = await openClassGrading(loadConfig('cli'));
    try {
      const repo = await c.grading.ensureGradingRepo(courseId, slug);
      return `grading repository (staff only): ${repo}; push grading.yml and the expected files there`;
    } finally {
      await c.close();
    }
  } catch (err) {
    return `grading repository: made at the first grading (${(err as Error).message})`;
  }
}

export function addAssignmentCommands(program: Command) {
  const assignments = program
    .command('assignments')
    .description('manage assignments: a GitLab template each learner of a course gets a fork of');

  assignments
    .command('add')
    .description(
      'add an assignment to a course; the LMS link names it with the custom parameter assignment=<slug>',
    )
    .requiredOption('--course <id>', 'course id (see `labgate courses list`)')
    .requiredOption('--slug <slug>', 'short name used in the LMS link and in fork paths, e.g. ex1')
    .requiredOption('--template <path>', 'the template project in GitLab, e.g. teachers/python-101')
    .option('--title <title>', 'what learners see (default: the slug)')
    .option('--deadline <time>', 'when work is due, an ISO time such as 2026-12-18T18:00:00+01:00')
    .action(
      async (o: { course: string; slug: string; template: string; title?: string; deadline?: string }) => {
        const deadline = o.deadline === undefined ? undefined : isoTime(o.deadline, '--deadline');
        const a = await withServices(async (s) => {
          if (!(await s.courses.findCourse(o.course)))
            throw new Error(`no course ${o.course}; see \`labgate courses list\``);
          return s.assignments.addAssignment({
            courseId: o.course,
            slug: o.slug,
            title: o.title ?? o.slug,
            template: o.template,
            ...(deadline === undefined ? {} : { deadline }),
          });
        });
        say(`assignment ${a.slug} added: learners get a fork of ${a.template}`);
        say(`LMS link: add the custom parameter assignment=${a.slug}`);
        say(await gradingRepoLine(o.course, a.slug));
      },
    );

  assignments
    .command('deadline')
    .description("set or remove an assignment's deadline (grading takes each learner's commit then)")
    .requiredOption('--course <id>', 'course id')
    .requiredOption('--slug <slug>', 'the assignment')
    .option('--at <time>', 'an ISO time such as 2026-12-18T18:00:00+01:00')
    .option('--none', 'no deadline')
    .action(async (o: { course: string; slug: string; at?: string; none?: boolean }) => {
      if (Boolean(o.at) === Boolean(o.none)) throw new Error('give either --at <time> or --none');
      const deadline = o.at === undefined ? undefined : isoTime(o.at, '--at');
      await withServices(async (s) => {
        const a = await s.assignments.findAssignment(o.course, o.slug);
        if (!a)
          throw new Error(`no assignment ${o.slug} in course ${o.course}; see \`labgate assignments list\``);
        await s.assignments.setDeadline(a.id, deadline);
      });
      say(
        deadline === undefined
          ? `${o.slug}: no deadline`
          : `${o.slug}: due ${new Date(deadline).toISOString()}`,
      );
    });

  assignments
    .command('list')
    .description("list a course's assignments")
    .requiredOption('--course <id>', 'course id')
    .option('--json', 'print JSON')
    .action(async (o: { course: string; json?: boolean }) => {
      const list = await withServices((s) => s.assignments.listAssignments(o.course));
      printTable(
        list.map((a) => ({
          slug: a.slug,
          title: a.title,
          template: a.template,
          deadline: a.deadline === undefined ? '' : new Date(a.deadline).toISOString(),
          grading: a.gradingRepo ?? '',
        })),
        Boolean(o.json),
      );
    });
}
