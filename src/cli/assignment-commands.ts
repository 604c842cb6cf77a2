import type { Command } from 'commander';
import { addAssignmentAddCommand, isoTime } from './assignment-add-command.ts';
import { printTable, say } from './terminal-text.ts';
import { withServices } from './with-services.ts';

function isoOption(text: string, option: string): number {
  const t = isoTime(text);
  if (t === undefined)
    throw new Error(`${option} wants an ISO time such as 2026-12-18T18:00:00+01:00, got "${text}"`);
  return t;
}

export function addAssignmentCommands(program: Command) {
  const assignments = program
    .command('assignments')
    .description('manage assignments: a GitLab template each learner of a course gets a fork of');

  addAssignmentAddCommand(assignments);

  assignments
    .command('deadline')
    .description("set or remove an assignment's deadline (grading takes each learner's commit then)")
    .requiredOption('--course <id>', 'course id')
    .requiredOption('--slug <slug>', 'the assignment')
    .option('--at <time>', 'an ISO time such as 2026-12-18T18:00:00+01:00')
    .option('--none', 'no deadline')
    .action(async (o: { course: string; slug: string; at?: string; none?: boolean }) => {
      if (Boolean(o.at) === Boolean(o.none)) throw new Error('give either --at <time> or --none');
      const deadline = o.at === undefined ? undefined : isoOption(o.at, '--at');
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
          opens: a.openFile ?? '(first notebook)',
          image: a.image ?? '(default)',
          deadline: a.deadline === undefined ? '' : new Date(a.deadline).toISOString(),
          'late policy': a.latePolicy,
          grading: a.gradingRepo ?? '',
        })),
        Boolean(o.json),
      );
    });
}
