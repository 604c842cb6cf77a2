import type { Command } from 'commander';
import { printTable, say } from './terminal-text.ts';
import { withServices } from './with-services.ts';
import { loadConfig } from '../config.ts';

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
    .action(async (o: { course: string; slug: string; template: string; title?: string }) => {
      const a = await withServices(async (s) => {
        if (!(await s.courses.findCourse(o.course)))
          throw new Error(`no course ${o.course}; see \`labgate courses list\``);
        return s.assignments.addAssignment({
          courseId: o.course,
          slug: o.slug,
          title: o.title ?? o.slug,
          template: o.template,
        });
      });
      say(`assignment ${a.slug} added: learners get a fork of ${a.template}`);
      say(`LMS link: add the custom parameter assignment=${a.slug}`);
      say(await gradingRepoLine(o.course, a.slug));
    });

  assignments
    .command('list')
    .description("list a course's assignments")
    .requiredOption('--course <id>', 'course id')
    .option('--json', 'print JSON')
    .action(async (o: { course: string; json?: boolean }) => {
      const list = await withServices((s) => s.assignments.listAssignments(o.course));
      printTable(
        list.map((a) => ({ slug: a.slug, title: a.title, template: a.template })),
        Boolean(o.json),
      );
    });
}
