import type { Command } from 'commander';
import { printTable, say } from './terminal-text.ts';
import { withServices } from './with-services.ts';

export function addCourseCommands(program: Command) {
  const courses = program
    .command('courses')
    .description('manage courses (they are also created on first launch)');

  courses
    .command('create')
    .description('create the course for an LMS context ahead of its first launch')
    .requiredOption('--title <title>', 'course title')
    .requiredOption('--context-id <id>', 'the LMS context id, e.g. course-v1:ORG+COURSE+RUN')
    .option('--consumer <key>', 'LTI 1.1 consumer key of the LMS')
    .option('--issuer <url>', 'LTI 1.3 issuer of the LMS')
    .option('--label <label>', 'short label')
    .action(
      async (o: { title: string; contextId: string; consumer?: string; issuer?: string; label?: string }) => {
        if (Boolean(o.consumer) === Boolean(o.issuer)) {
          throw new Error('give exactly one of --consumer <key> (LTI 1.1) or --issuer <url> (LTI 1.3)');
        }
        const lms = o.consumer ? `lti11:${o.consumer}` : `lti13:${o.issuer}`;
        const course = await withServices((s) =>
          s.courses.createCourse({
            lms,
            contextId: o.contextId,
            title: o.title,
            ...(o.label ? { label: o.label } : {}),
          }),
        );
        say(`course ${course.id} created for ${lms} context ${course.contextId}`);
      },
    );

  courses
    .command('list')
    .description('list courses')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withServices((s) => s.courses.listCourses());
      printTable(
        list.map((c) => ({ id: c.id, title: c.title, lms: c.lms, context: c.contextId })),
        Boolean(o.json),
      );
    });
}
