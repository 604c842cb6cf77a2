import type { Assignment } from '../courses/index.ts';
import { AppError } from '../errors.ts';
import type { Forge } from '../forge/index.ts';
import { filesOf, specFromFiles } from '../grading/index.ts';

export type RepoReader = Pick<Forge, 'findProject' | 'latestCommit' | 'archive'>;

export const gradingError = (message: string, hint?: string) =>
  new AppError({ code: 'GRADING_SETUP', status: 409, message, ...(hint ? { hint } : {}) });

/** The files of a project's default branch at its newest commit (`what` names it in refusals). */
export async function filesAtNewest(forge: RepoReader, path: string, what: string, maxBytes: number) {
  const project = await forge.findProject(path);
  if (!project) throw gradingError(`The ${what} ${path} is not in GitLab.`);
  const commit = await forge.latestCommit(project.id, project.defaultBranch);
  if (!commit)
    throw gradingError(
      `The ${what} ${path} is empty.`,
      what === 'grading repository' ? 'Push grading.yml and the expected files to it.' : undefined,
    );
  return {
    commit: commit.sha,
    committedAt: commit.committedAt,
    files: await filesOf(await forge.archive(project.id, commit.sha, maxBytes), maxBytes),
  };
}

/** The spec at the grading repository's newest commit, checked against the template's newest. */
export async function loadAssignmentSpec(
  forge: RepoReader,
  assignment: Pick<Assignment, 'template'>,
  gradingRepo: string,
  maxBytes: number,
) {
  // Both read at once; a fault of the grading repository is the one reported first, as before.
  const [g, t] = await Promise.allSettled([
    filesAtNewest(forge, gradingRepo, 'grading repository', maxBytes),
    filesAtNewest(forge, assignment.template, 'template', maxBytes),
  ]);
  if (g.status === 'rejected') throw g.reason;
  if (t.status === 'rejected') throw t.reason;
  const [grading, template] = [g.value, t.value];
  const loaded = specFromFiles(grading.files, template.files, `${gradingRepo}/grading.yml`);
  if (!loaded.ok) throw gradingError(loaded.lines.join('\n'), 'Fix grading.yml in the grading repository.');
  return { ...loaded, gradingCommit: grading.commit, templateCommit: template.commit };
}
