import type { Course } from '../courses/index.ts';
import type { AppError } from '../errors.ts';
import {
  displayName,
  pathSlug,
  type Forge,
  type ForgeCommit,
  type ForgeGroup,
  type ForgeProject,
  type ForgeProjectChoice,
  type ForgeUser,
  type Provisioner,
} from '../forge/index.ts';
import { notebookProblem } from '../gitops/index.ts';
import { publishErrors } from './publish-errors.ts';

export interface CourseTemplatesDeps {
  forge: Pick<
    Forge,
    | 'url'
    | 'ensureGroup'
    | 'ensureProject'
    | 'findProject'
    | 'commitFiles'
    | 'latestCommit'
    | 'readableProjects'
  >;
  provisioner: Pick<Provisioner, 'ensureCourseGroup' | 'listForUser'>;
  maxUploadBytes: number;
  maxUploadFiles: number;
}

export interface UploadedFile {
  name: string;
  content: Buffer;
}

/** A template made here: what the page shows beside it (git commands, the upload form). */
export interface CourseTemplate {
  project: ForgeProject;
  latest: ForgeCommit | undefined;
}

// eslint-disable-next-line no-control-regex -- a file name holding control characters is refused
const fileNamePattern = /^[^/\\\u0000-\u001f\u007f]{1,255}$/;

/** The course as the forge names its group (as provisioning does). */
const forgeCourse = (c: Course) => ({
  id: c.id,
  path: pathSlug(c.label ?? c.title, 'course'),
  name: displayName(c.title, 'Course'),
});

function uploadProblem(files: UploadedFile[], d: CourseTemplatesDeps): AppError | undefined {
  if (files.length === 0) return publishErrors.noFiles();
  if (files.length > d.maxUploadFiles) return publishErrors.tooManyFiles(files.length, d.maxUploadFiles);
  const bytes = files.reduce((n, f) => n + f.content.length, 0);
  if (bytes > d.maxUploadBytes) return publishErrors.tooBig(bytes, d.maxUploadBytes);
  for (const f of files) {
    if (!fileNamePattern.test(f.name) || f.name === '.' || f.name === '..' || f.name.toLowerCase() === '.git')
      return publishErrors.fileName(f.name);
    const problem = f.name.toLowerCase().endsWith('.ipynb')
      ? notebookProblem(f.content.toString('utf8'))
      : undefined;
    if (problem) return publishErrors.badNotebook(f.name, problem);
  }
  return undefined;
}

/**
 * Templates teachers make from the course page: empty projects in the course group's `templates`
 * subgroup (so a name never lands on a learner's fork or a grading repository), filled by upload or git.
 */
export function createCourseTemplates(d: CourseTemplatesDeps) {
  async function templatesGroup(course: Course): Promise<ForgeGroup> {
    const group = await d.provisioner.ensureCourseGroup(forgeCourse(course));
    return d.forge.ensureGroup({
      path: 'templates',
      name: 'Templates',
      parentId: group.id,
      marker: `labgate templates ${course.id}`,
    });
  }

  /** The teacher's GitLab account, once a launch's provisioning made it. */
  async function forgeAccount(userId: string): Promise<ForgeUser | undefined> {
    const jobs = await d.provisioner.listForUser(userId);
    return jobs.find((j) => j.state.forgeUser)?.state.forgeUser;
  }

  async function suggestions(account: ForgeUser | undefined, limit = 100): Promise<ForgeProjectChoice[]> {
    return account ? d.forge.readableProjects(account.id, '', limit) : [];
  }

  /** An empty private template named `name` (the same one when asked again). */
  async function createTemplate(
    course: Course,
    name: string,
  ): Promise<{ project: ForgeProject } | { refused: AppError }> {
    const path = pathSlug(name, '');
    if (!path) return { refused: publishErrors.templateName() };
    const group = await templatesGroup(course);
    const project = await d.forge.ensureProject({ namespace: group, path, name: displayName(name, path) });
    return { project };
  }

  /** The project at `path` when it is a template made here for this course, else undefined. */
  async function courseTemplate(course: Course, path: string): Promise<CourseTemplate | undefined> {
    if (!/^[\w.-]+(\/[\w.-]+)+$/.test(path)) return undefined;
    const group = await templatesGroup(course);
    const project = await d.forge.findProject(path);
    const prefix = `${group.fullPath.toLowerCase()}/`;
    const name = project?.pathWithNamespace.toLowerCase();
    if (!project || !name?.startsWith(prefix) || name.slice(prefix.length).includes('/')) return undefined;
    const latest = project.emptyRepo
      ? undefined
      : await d.forge.latestCommit(project.id, project.defaultBranch);
    return { project, latest };
  }

  /** Commits the files at the template's root, after checking each (notebooks must open in Jupyter). */
  async function upload(
    course: Course,
    path: string,
    files: UploadedFile[],
  ): Promise<{ committed: ForgeCommit; project: ForgeProject } | { refused: AppError }> {
    const template = await courseTemplate(course, path);
    if (!template)
      return { refused: publishErrors.notCourseTemplate(path, (await templatesGroup(course)).fullPath) };
    const problem = uploadProblem(files, d);
    if (problem) return { refused: problem };
    const names = files.map((f) => f.name).join(', ');
    const committed = await d.forge.commitFiles(template.project.id, {
      branch: template.project.defaultBranch,
      message: `Add ${names.length > 200 ? `${files.length} files` : names} (uploaded from labgate)`,
      files: files.map((f) => ({ path: f.name, content: f.content })),
    });
    return { committed, project: template.project };
  }

  return { templatesGroup, forgeAccount, suggestions, createTemplate, courseTemplate, upload };
}

export type CourseTemplates = ReturnType<typeof createCourseTemplates>;
