import type * as gitbeaker from '@gitbeaker/core';
import { isForgeStatus } from './forge-errors.ts';

type ProjectBody = Record<string, unknown>;

/** What erasing a person and retiring a course ask of GitLab: archive, delete for good. */
export function createGitlabErasure(api: { users: gitbeaker.Users; projects: gitbeaker.Projects }) {
  async function show(id: number): Promise<ProjectBody | undefined> {
    try {
      return (await api.projects.show(id)) as ProjectBody;
    } catch (err) {
      if (isForgeStatus(err, 404)) return undefined;
      throw err;
    }
  }

  return {
    /** Read-only for everyone (`POST /projects/:id/archive`); `missing` when there is no such project. */
    async archiveProject(id: number): Promise<'archived' | 'missing'> {
      try {
        await api.projects.archive(id);
        return 'archived';
      } catch (err) {
        if (isForgeStatus(err, 404)) return 'missing';
        throw err;
      }
    },

    /**
     * Deletes a project for good. GitLab 16+ may only mark it for deletion (delayed deletion); the
     * second call, with `permanently_remove` and its full path, removes it at once.
     */
    async eraseProject(id: number): Promise<void> {
      try {
        await api.projects.remove(id);
      } catch (err) {
        if (isForgeStatus(err, 404)) return;
        throw err;
      }
      const left = await show(id);
      if (!left || !(left.marked_for_deletion_at || left.marked_for_deletion_on)) return;
      try {
        await api.projects.remove(id, {
          permanentlyRemove: true,
          fullPath: left.path_with_namespace as string,
        });
      } catch (err) {
        if (!isForgeStatus(err, 404)) throw err;
      }
    },

    /** Deletes the account with what it made (`hard_delete`: nothing moves to GitLab's Ghost User). */
    async deleteUser(id: number): Promise<void> {
      try {
        await api.users.remove(id, { hardDelete: true });
      } catch (err) {
        if (!isForgeStatus(err, 404)) throw err;
      }
    },
  };
}
