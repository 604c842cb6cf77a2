import { git } from './git-command.ts';
import { gitErrors } from './git-errors.ts';
import { insideRepo } from './file-moves.ts';
import type { LearnerRepo } from './learner-repo.ts';
import { trackingRef } from './remote-ops.ts';
import { guardRepository } from './repo-guard.ts';

/**
 * The page of `file` in GitLab at the newest commit GitLab has of the learner's work (a commit not
 * yet pushed would be a 404 there): "Open in GitLab".
 */
export async function fileUrl(repo: LearnerRepo, webUrl: string, file: string): Promise<string> {
  const relative = insideRepo(file.replace(/^\/+/, ''));
  if (!relative) throw gitErrors.badPath(file);
  await guardRepository(repo.ctx, repo.origin.branch);
  const pushed = await git(repo.ctx, ['merge-base', 'HEAD', trackingRef('origin', repo.origin.branch)], {
    okCodes: [0, 1, 128],
  });
  const at = pushed.code === 0 ? pushed.stdout.trim() : repo.origin.branch;
  const encoded = relative.split('/').map(encodeURIComponent).join('/');
  return `${webUrl}/-/blob/${at}/${encoded}`;
}
