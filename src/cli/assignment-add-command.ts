import type { Command } from 'commander';
import { openPublishingForge, workspaceImages } from '../app/publishing.ts';
import { loadConfig } from '../config.ts';
import { publishAssignment, publishErrors, type PublishField, type PublishProblem } from '../flows/index.ts';
import { complain, say } from './terminal-text.ts';
import { withServices } from './with-services.ts';

interface AddOptions {
  course: string;
  slug: string;
  template: string;
  title?: string;
  deadline?: string;
  image?: string;
  open?: string;
  latePolicy: string;
}

const optionOf: Record<PublishField, string> = {
  title: '--title',
  slug: '--slug',
  template: '--template',
  openFile: '--open',
  image: '--image',
  deadline: '--deadline',
  timezone: '--deadline',
  latePolicy: '--late-policy',
};

/** An ISO time with a date and a time (an offset or Z recommended; without one, this machine's zone). */
export function isoTime(text: string): number | undefined {
  const t = Date.parse(text);
  return /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(t) ? t : undefined;
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

/** Refusals, one per line with what to do, and exit code 2 (bad input, as for a bad setting). */
function refuse(problems: Array<{ option: string; message: string; hint: string | undefined }>) {
  for (const p of problems)
    complain(`labgate: ${p.option}: ${p.message}`, ...(p.hint ? [`  ${p.hint}`] : []));
  process.exitCode = 2;
}

/** `labgate assignments add`: the course page's publishing, with the same checks. */
export function addAssignmentAddCommand(assignments: Command) {
  assignments
    .command('add')
    .description(
      'add an assignment to a course; the LMS link names it with the custom parameter assignment=<slug>',
    )
    .requiredOption('--course <id>', 'course id (see `labgate courses list`)')
    .requiredOption('--slug <slug>', 'short name used in the LMS link and in fork paths, e.g. ex1')
    .requiredOption(
      '--template <path>',
      'the template project in GitLab, with a first commit, e.g. teachers/python-101',
    )
    .option('--title <title>', 'what learners see (default: the slug)')
    .option(
      '--open <path>',
      "the file learners land in, from the template's top, e.g. notebooks/ex1.ipynb (default: its first notebook)",
    )
    .option('--deadline <time>', 'when work is due, an ISO time such as 2026-12-18T18:00:00+01:00')
    .option(
      '--image <image>',
      'the workspace image, WORKSPACE_IMAGE or one of WORKSPACE_IMAGES_ALLOWED (default: WORKSPACE_IMAGE)',
    )
    .option(
      '--late-policy <policy>',
      'after the deadline: accept (late pushes kept, marked late) or lock (forks locked)',
      'accept',
    )
    .action(async (o: AddOptions) => {
      const config = loadConfig('cli');
      const known: PublishProblem[] = [];
      const deadline = o.deadline === undefined ? undefined : isoTime(o.deadline);
      if (o.deadline !== undefined && deadline === undefined)
        known.push({ field: 'deadline', error: publishErrors.deadlineInvalid(o.deadline) });
      const forge = await openPublishingForge(config);
      const outcome = await withServices(async (s) => {
        if (!(await s.courses.findCourse(o.course))) return undefined;
        const deps = { assignments: s.assignments, forge, images: workspaceImages(config), now: s.now };
        return publishAssignment(deps, {
          courseId: o.course,
          title: o.title ?? o.slug,
          slug: o.slug,
          template: o.template,
          openFile: o.open,
          image: o.image,
          deadline,
          latePolicy: o.latePolicy,
          known,
        });
      });
      if (!outcome)
        return refuse([
          { option: '--course', message: `No course ${o.course}.`, hint: 'See `labgate courses list`.' },
        ]);
      if ('refused' in outcome)
        return refuse(
          outcome.refused.map((p) => ({
            option: optionOf[p.field],
            message: p.error.message,
            hint: p.error.hint,
          })),
        );
      const a = outcome.published;
      say(`assignment ${a.slug} added: learners get a fork of ${a.template}`);
      if (!forge)
        say('the template was not checked: no forge (set FORGE_URL and FORGE_TOKEN, or run the demo)');
      say(
        `workspace image: ${a.image ?? config.workspaces?.image ?? 'none (no workspaces)'}; ` +
          `deadline: ${a.deadline === undefined ? 'none' : new Date(a.deadline).toISOString()}; ` +
          `after it: ${a.latePolicy === 'lock' ? 'forks locked' : 'late pushes accepted, marked late'}`,
      );
      say(`learners land in: ${a.openFile ?? "the template's first notebook"}`);
      say(`LMS link: add the custom parameter assignment=${a.slug}`);
      say(await gradingRepoLine(o.course, a.slug));
    });
}
