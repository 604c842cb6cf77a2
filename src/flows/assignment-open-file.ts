import type { Assignment, AssignmentStore } from '../courses/index.ts';
import type { AppError } from '../errors.ts';
import type { Forge, ForgeProject } from '../forge/index.ts';
import { isOpenablePath } from './open-file.ts';
import { publishErrors } from './publish-errors.ts';

type FileReader = Pick<Forge, 'fileExists'>;

/**
 * The file learners land in, as a teacher typed it (a leading `./` or `/` dropped): a path inside the
 * template, checked on its default branch when the template is at hand. Empty: the first notebook.
 */
export async function checkOpenFile(
  forge: FileReader | undefined,
  typed: string | undefined,
  template: ForgeProject | undefined,
): Promise<{ path?: string; problem?: AppError }> {
  const path = typed?.trim().replace(/^(\.?\/)+/, '') || undefined;
  if (!path) return {};
  if (!isOpenablePath(path)) return { problem: publishErrors.openFileInvalid(path) };
  if (forge && template && !(await forge.fileExists(template.id, path, template.defaultBranch)))
    return {
      problem: publishErrors.openFileMissing(path, template.pathWithNamespace, template.defaultBranch),
    };
  return { path };
}

/** Changes the file learners land in from their next first launch on (a learner's own folder is theirs). */
export async function changeOpenFile(
  deps: {
    assignments: Pick<AssignmentStore, 'setOpenFile'>;
    forge: Pick<Forge, 'findProject' | 'fileExists'>;
  },
  assignment: Assignment,
  typed: string,
): Promise<void> {
  const template = await deps.forge.findProject(assignment.template);
  const { path, problem } = await checkOpenFile(deps.forge, typed, template);
  if (problem) throw problem;
  await deps.assignments.setOpenFile(assignment.id, path);
}
