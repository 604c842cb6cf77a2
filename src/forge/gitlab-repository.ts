import type * as gitbeaker from '@gitbeaker/core';
import type { ForgeCommit } from './forge.ts';
import { AppError } from '../errors.ts';
import { isForgeStatus } from './forge-errors.ts';

/** Reading repositories: a commit at a date, and the tree of a commit as a tar (what grading reads). */
export function createGitlabRepository(api: {
  repositories: gitbeaker.Repositories;
  commits: gitbeaker.Commits;
}) {
  async function latestCommit(
    projectId: number,
    ref: string,
    until?: Date,
  ): Promise<ForgeCommit | undefined> {
    try {
      const list = (await api.commits.all(projectId, {
        refName: ref,
        ...(until ? { until: until.toISOString() } : {}),
        perPage: 1,
        maxPages: 1,
      })) as Array<Record<string, unknown>>;
      const c = list[0];
      return c
        ? { sha: String(c.id), committedAt: String(c.committed_date ?? c.created_at ?? '') }
        : undefined;
    } catch (err) {
      if (isForgeStatus(err, 404)) return undefined;
      throw err;
    }
  }

  async function archive(projectId: number, sha: string, maxBytes: number): Promise<Buffer> {
    const blob = (await api.repositories.showArchive(projectId, { fileType: 'tar', sha })) as unknown as Blob;
    if (blob.size > maxBytes)
      throw new AppError({
        code: 'FORGE_ARCHIVE_TOO_BIG',
        status: 422,
        message: `The files of project ${projectId} at ${sha.slice(0, 12)} take ${Math.round(blob.size / 2 ** 20)} MB, over the ${Math.round(maxBytes / 2 ** 20)} MB labgate reads.`,
        hint: 'Large data files belong outside the repository (or in .gitignore).',
      });
    return Buffer.from(await blob.arrayBuffer());
  }

  return { latestCommit, archive };
}
