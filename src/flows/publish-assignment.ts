import { latePolicies, type Assignment, type AssignmentStore } from '../courses/index.ts';
import { isAppError, type AppError } from '../errors.ts';
import type { Forge, ForgeUser } from '../forge/index.ts';
import { checkOpenFile } from './assignment-open-file.ts';
import { publishErrors } from './publish-errors.ts';

export type PublishField =
  'title' | 'slug' | 'template' | 'openFile' | 'image' | 'deadline' | 'timezone' | 'latePolicy';

/** What is wrong, and with which field of the form (or option of the CLI). */
export interface PublishProblem {
  field: PublishField;
  error: AppError;
}

export type PublishOutcome = { published: Assignment } | { refused: PublishProblem[] };

/** The service's workspace images: the default one, and the others an assignment may name. */
export interface WorkspaceImages {
  default: string | undefined;
  others: string[];
}

export interface PublishDeps {
  assignments: Pick<AssignmentStore, 'findAssignment' | 'addAssignment'>;
  /** Absent when no forge is at hand (the CLI without FORGE_URL): the template is then not checked. */
  forge: Pick<Forge, 'url' | 'findProject' | 'canRead' | 'fileExists'> | undefined;
  images: WorkspaceImages;
  now: () => number;
}

export interface PublishRequest {
  courseId: string;
  title: string;
  /** Blank: made from the title. */
  slug: string;
  template: string;
  /** The file learners land in, from the template's top; blank or undefined: its first notebook. */
  openFile?: string | undefined;
  /** Blank or undefined: the service's default image. */
  image: string | undefined;
  deadline: number | undefined;
  latePolicy: string;
  /** The teacher's GitLab account, who must be able to read the template; absent for the operator (CLI). */
  reader?: ForgeUser;
  /** Problems the caller found reading its input (a date that is not one): nothing is published then. */
  known?: PublishProblem[];
}

const slugPattern = /^[a-z0-9][a-z0-9_-]{0,59}$/;
const templatePattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$/;

/** The short name a title suggests: `Exercice 1 — Données` → `exercice-1-donnees`. */
export function suggestSlug(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** The images an assignment may name: the default first. */
export const allowedImages = (images: WorkspaceImages) =>
  images.default ? [images.default, ...images.others.filter((i) => i !== images.default)] : [];

async function templateProblem(deps: PublishDeps, r: PublishRequest) {
  const template = r.template.trim().replace(/\/+$/, '');
  if (!templatePattern.test(template) || template.endsWith('.git'))
    return { problem: publishErrors.templateInvalid(template) };
  if (!deps.forge) return { path: template };
  const project = await deps.forge.findProject(template);
  if (!project) return { problem: publishErrors.templateUnknown(template, deps.forge.url) };
  if (r.reader && !(await deps.forge.canRead(r.reader.id, project.id)))
    return { problem: publishErrors.templateUnreadable(template, deps.forge.url, r.reader.username) };
  if (project.emptyRepo) return { problem: publishErrors.templateEmpty(project.pathWithNamespace) };
  return { path: project.pathWithNamespace, project };
}

/**
 * Publishes an exercise of a course: every field is checked (all problems at once, each beside its
 * field), then the assignment is added. The same for the course page and `labgate assignments add`.
 */
export async function publishAssignment(deps: PublishDeps, r: PublishRequest): Promise<PublishOutcome> {
  const problems: PublishProblem[] = [...(r.known ?? [])];
  const add = (field: PublishField, error: AppError | undefined) => error && problems.push({ field, error });
  const title = r.title.trim();
  add('title', title && title.length <= 255 ? undefined : publishErrors.title());
  const slug = r.slug.trim() || suggestSlug(title);
  if (!slugPattern.test(slug)) add('slug', publishErrors.slugInvalid(slug));
  else {
    const taken = await deps.assignments.findAssignment(r.courseId, slug);
    add('slug', taken && publishErrors.slugTaken(slug, taken.title));
  }
  const template = await templateProblem(deps, r);
  add('template', template.problem);
  const open = await checkOpenFile(deps.forge, r.openFile, template.project);
  add('openFile', open.problem);
  const image = r.image?.trim() || undefined;
  const allowed = allowedImages(deps.images);
  add('image', image && !allowed.includes(image) ? publishErrors.imageNotAllowed(image, allowed) : undefined);
  add(
    'deadline',
    r.deadline !== undefined && r.deadline <= deps.now() ? publishErrors.deadlinePast(r.deadline) : undefined,
  );
  const policy = latePolicies.find((p) => p === r.latePolicy);
  add('latePolicy', policy ? undefined : publishErrors.latePolicy(r.latePolicy));
  if (problems.length) return { refused: problems };
  try {
    const published = await deps.assignments.addAssignment({
      courseId: r.courseId,
      slug,
      title,
      template: template.path!,
      // The default image is not pinned: the assignment follows WORKSPACE_IMAGE when it changes.
      ...(image && image !== deps.images.default ? { image } : {}),
      ...(r.deadline === undefined ? {} : { deadline: r.deadline }),
      latePolicy: policy!,
      ...(open.path ? { openFile: open.path } : {}),
    });
    return { published };
  } catch (err) {
    // Published by someone else meanwhile.
    if (isAppError(err) && err.code === 'ASSIGNMENT_EXISTS')
      return { refused: [{ field: 'slug', error: publishErrors.slugTaken(slug, title) }] };
    throw err;
  }
}
