import { AppError } from '../errors.ts';

const bad = (code: string, message: string, hint: string, details: Record<string, string | number> = {}) =>
  new AppError({ code: `PUBLISH_${code}`, status: 400, message, hint, details });

const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** Why an exercise, a template or an upload was refused: each says what to fix. French: web/publish-texts-fr.ts. */
export const publishErrors = {
  title: () =>
    bad('TITLE', 'The title is empty or longer than 255 characters.', 'Give the name learners will see.'),
  slugInvalid: (slug: string) =>
    bad(
      'SLUG_INVALID',
      `"${slug}" cannot be the exercise's short name.`,
      'Use 1 to 60 lowercase letters, digits, - or _, starting with a letter or a digit (e.g. ex1).',
      { slug },
    ),
  slugTaken: (slug: string, title: string) =>
    bad(
      'SLUG_TAKEN',
      `This course already has an exercise "${slug}" (${title}).`,
      'Choose another short name: the LMS link names the exercise by it.',
      { slug, title },
    ),
  templateInvalid: (template: string) =>
    bad(
      'TEMPLATE_INVALID',
      `"${template}" is not a GitLab project path.`,
      'Give it as group/project, e.g. teachers/python-101, or create a new template.',
      { template },
    ),
  templateUnknown: (template: string, forge: string) =>
    bad(
      'TEMPLATE_UNKNOWN',
      `No project ${template} on ${forge}.`,
      'Check the path, or create a new template.',
      { template, forge },
    ),
  templateUnreadable: (template: string, forge: string, username: string) =>
    bad(
      'TEMPLATE_UNREADABLE',
      `Your GitLab account ${username} cannot read ${template} on ${forge}.`,
      `Ask the project's owner to add ${username} as Reporter (or more), or choose another template.`,
      { template, forge, username },
    ),
  templateEmpty: (template: string) =>
    bad(
      'TEMPLATE_EMPTY',
      `The template ${template} has no commit yet: an empty repository cannot be copied to learners.`,
      'Push a first commit to it with git, or upload a notebook with the form, then publish again.',
      { template },
    ),
  noForgeAccount: () =>
    bad(
      'NO_FORGE_ACCOUNT',
      'Your GitLab account is not ready yet, so labgate cannot tell which templates you can read.',
      'labgate makes it when you open labgate from your course: wait a minute and reload. If it keeps failing, open labgate again from your course.',
    ),
  openFileInvalid: (path: string) =>
    bad(
      'OPEN_FILE_INVALID',
      `"${path}" cannot be the file learners land in.`,
      'Give its path from the top of the template, e.g. ex1.ipynb or notebooks/ex1.ipynb (no .., no hidden names), or leave it empty for the first notebook.',
      { path },
    ),
  openFileMissing: (path: string, template: string, branch: string) =>
    bad(
      'OPEN_FILE_MISSING',
      `The template ${template} has no file ${path} on ${branch}.`,
      'Check the name and its folder (letter case counts), push the file first, or leave it empty for the first notebook.',
      { path, template, branch },
    ),
  imageNotAllowed: (image: string, allowed: string[]) =>
    bad(
      'IMAGE_NOT_ALLOWED',
      `The workspace image "${image}" is not allowed on this server.`,
      allowed.length
        ? `Choose one of: ${allowed.join(', ')}.`
        : 'This server runs no workspaces (WORKSPACE_IMAGE is not set): leave the image empty.',
      { image, allowed: allowed.join(', ') },
    ),
  deadlineInvalid: (text: string) =>
    bad(
      'DEADLINE_INVALID',
      `"${text}" is not a date and time.`,
      'Give it as 2026-12-18T18:00 (with the time zone beside it), or leave the deadline empty.',
      { text },
    ),
  timezoneUnknown: (zone: string) =>
    bad('TIMEZONE_UNKNOWN', `"${zone}" is not a time zone.`, 'Use a name such as Europe/Paris or UTC.', {
      zone,
    }),
  deadlinePast: (deadline: number) =>
    bad(
      'DEADLINE_PAST',
      `The deadline ${new Date(deadline).toISOString().slice(0, 16).replace('T', ' ')} UTC is already past.`,
      'Choose a date and time in the future, or leave the deadline empty.',
      { deadline: new Date(deadline).toISOString() },
    ),
  latePolicy: (policy: string) =>
    bad(
      'LATE_POLICY',
      `"${policy}" is not a late policy.`,
      'Choose accept (late pushes are kept and marked late) or lock (each copy is locked at the deadline).',
      { policy },
    ),
  templateName: () =>
    bad(
      'TEMPLATE_NAME',
      'The new template needs a name.',
      'Type one (letters, digits, - or _), or fill in the short name first.',
    ),
  notCourseTemplate: (template: string, group: string) =>
    bad(
      'NOT_COURSE_TEMPLATE',
      `Files are uploaded only to templates made here, in ${group}; ${template} is not one.`,
      'Push to other projects with git, or create a new template here.',
      { template, group },
    ),
  noFiles: () => bad('NO_FILES', 'No file was chosen.', 'Choose one or more notebooks or files to upload.'),
  tooManyFiles: (count: number, max: number) =>
    bad(
      'TOO_MANY_FILES',
      `${count} files were sent; one upload takes at most ${max}.`,
      'Upload them in several goes, or push them with git.',
      { count, max },
    ),
  tooBig: (bytes: number, max: number) =>
    bad(
      'TOO_BIG',
      `These files weigh ${megabytes(bytes)}; one upload takes at most ${megabytes(max)}.`,
      'Upload fewer files at a time, or push large files with git.',
      { size: megabytes(bytes), max: megabytes(max) },
    ),
  fileName: (name: string) =>
    bad('FILE_NAME', `"${name}" cannot be a file name in the template.`, 'Rename the file, then upload it.', {
      name,
    }),
  badNotebook: (name: string, problem: string) =>
    bad(
      'BAD_NOTEBOOK',
      `${name} is not a notebook Jupyter can open: ${problem}.`,
      'Nothing was committed. Save it again from Jupyter, then upload it again.',
      { name, problem },
    ),
  noForge: () =>
    new AppError({
      code: 'PUBLISH_NO_FORGE',
      status: 503,
      message: 'Publishing an exercise needs a GitLab, and this labgate has none configured.',
      hint: 'The labgate administrator sets FORGE_URL and FORGE_TOKEN (see README.md).',
    }),
};
