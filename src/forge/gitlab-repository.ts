import type * as gitbeaker from '@gitbeaker/core';
import { z } from 'zod';
import type { ForgeCommit } from './forge.ts';
import { AppError } from '../errors.ts';
import { isForgeStatus } from './forge-errors.ts';

const committed = z.object({ id: z.string(), committed_date: z.string() });

/**
 * Reading repositories (a commit at a date, the tree of a commit as a tar, what grading reads) and
 * writing files in one commit.
 */
export function createGitlabRepository(api: {
  repositories: gitbeaker.Repositories;
  commits: gitbeaker.Commits;
  repositoryFiles: gitbeaker.RepositoryFiles;
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

  async function fileExists(projectId: number, path: string, branch: string) {
    try {
      await api.repositoryFiles.show(projectId, path, branch);
      return true;
    } catch (err) {
      if (isForgeStatus(err, 404)) return false; // no such file, or no such branch yet
      throw err;
    }
  }

  /**
   * POST /projects/:id/repository/commits: `update` for the files the branch has, `create` for the
   * others; a branch that does not exist yet starts from `startBranch` when given (else GitLab makes
   * it only in an empty repository).
   */
  async function commitFiles(
    projectId: number,
    o: {
      branch: string;
      message: string;
      files: Array<{ path: string; content: Buffer }>;
      author?: { name: string; email: string };
      startBranch?: string;
    },
  ): Promise<ForgeCommit> {
    const start = o.startBranch && !(await latestCommit(projectId, o.branch)) ? o.startBranch : undefined;
    const actions = await Promise.all(
      o.files.map(async (f) => ({
        action: (await fileExists(projectId, f.path, start ?? o.branch))
          ? ('update' as const)
          : ('create' as const),
        filePath: f.path,
        content: f.content.toString('base64'),
        encoding: 'base64' as const,
      })),
    );
    const options = {
      ...(o.author ? { authorName: o.author.name, authorEmail: o.author.email } : {}),
      ...(start ? { startBranch: start } : {}),
    };
    const c = committed.parse(await api.commits.create(projectId, o.branch, o.message, actions, options));
    return { sha: c.id, committedAt: c.committed_date };
  }

  return { latestCommit, archive, fileExists, commitFiles };
}
