import type * as gitbeaker from '@gitbeaker/core';
import { z } from 'zod';
import { isForgeStatus, type ForgeCallError } from './forge-errors.ts';

const noOne = 0;
const levels = z.array(z.object({ access_level: z.number() })).optional();
const rule = z.object({ push_access_levels: levels, merge_access_levels: levels });

/** Every level of the rule is "No one": nobody pushes or merges, admins and bots included. */
const locks = (body: unknown) => {
  const r = rule.safeParse(body);
  const all = r.success ? [...(r.data.push_access_levels ?? []), ...(r.data.merge_access_levels ?? [])] : [];
  return all.length > 0 && all.every((l) => l.access_level === noOne);
};

/** A deadline's lock and receipt: a branch nobody can push to, and an annotated tag at its head. */
export function createGitlabReceipts(api: {
  protectedBranches: gitbeaker.ProtectedBranches;
  tags: gitbeaker.Tags;
}) {
  async function lockedNow(projectId: number, branch: string) {
    try {
      return locks(await api.protectedBranches.show(projectId, branch));
    } catch (err) {
      if (isForgeStatus(err, 404)) return false;
      throw err;
    }
  }

  /**
   * The default branch is usually protected already (Maintainers push), and a rule cannot be
   * edited to "No one" on every GitLab: its protection is removed, then made again at level 0.
   */
  async function lockBranch(projectId: number, branch: string) {
    if (await lockedNow(projectId, branch)) return;
    try {
      await api.protectedBranches.remove(projectId, branch);
    } catch (err) {
      if (!isForgeStatus(err, 404)) throw err;
    }
    try {
      await api.protectedBranches.create(projectId, branch, {
        pushAccessLevel: noOne,
        mergeAccessLevel: noOne,
        allowForcePush: false,
      });
    } catch (err) {
      // A concurrent call protected it between our two steps: fine if what it made locks too.
      if (!isForgeStatus(err, 409) || !(await lockedNow(projectId, branch))) throw err;
    }
  }

  async function createTag(
    projectId: number,
    o: { name: string; sha: string; message: string },
  ): Promise<'created' | 'exists'> {
    try {
      await api.tags.create(projectId, o.name, o.sha, { message: o.message });
      return 'created';
    } catch (err) {
      // Tags::CreateService's 409 reaches clients as 400 "Tag <name> already exists".
      if (isForgeStatus(err, 400) && /already exists/.test((err as ForgeCallError).description))
        return 'exists';
      throw err;
    }
  }

  return { lockBranch, createTag };
}
