import type * as gitbeaker from '@gitbeaker/core';
import type { ForgeAccess, ForgeGroup } from './forge.ts';
import { isForgeStatus } from './forge-errors.ts';
import { withSuffix } from './forge-names.ts';

type GroupBody = { id: unknown; full_path: unknown; web_url: unknown; description?: unknown };
const toGroup = (g: GroupBody): ForgeGroup => ({
  id: g.id as number,
  fullPath: g.full_path as string,
  webUrl: g.web_url as string,
});

export function createGitlabGroups(api: { groups: gitbeaker.Groups; groupMembers: gitbeaker.GroupMembers }) {
  async function findGroup(fullPath: string): Promise<GroupBody | undefined> {
    try {
      return (await api.groups.show(fullPath)) as GroupBody;
    } catch (err) {
      if (isForgeStatus(err, 404)) return undefined;
      throw err;
    }
  }

  const ours = (g: GroupBody, marker: string) => String(g.description ?? '').includes(marker);

  async function ensureGroup(o: {
    path: string;
    name: string;
    parentId?: number;
    marker: string;
  }): Promise<ForgeGroup> {
    const parent = o.parentId ? ((await api.groups.show(o.parentId)) as GroupBody) : undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      const path = withSuffix(o.path, attempt);
      const fullPath = parent ? `${String(parent.full_path)}/${path}` : path;
      const existing = await findGroup(fullPath);
      if (existing) {
        if (ours(existing, o.marker)) return toGroup(existing);
        continue;
      }
      try {
        const created = await api.groups.create(attempt ? `${o.name} ${attempt + 1}` : o.name, path, {
          description: o.marker,
          visibility: 'private',
          ...(o.parentId ? { parentId: o.parentId } : {}),
        });
        return toGroup(created as GroupBody);
      } catch (err) {
        // Taken meanwhile: by a concurrent launch making the same group (adopt it) or by a user (move on).
        if (!isForgeStatus(err, 400)) throw err;
        const raced = await findGroup(fullPath);
        if (raced && ours(raced, o.marker)) return toGroup(raced);
      }
    }
    throw new Error(`no free group path near "${o.path}"`);
  }

  async function grantGroupAccess(groupId: number, userId: number, level: ForgeAccess) {
    try {
      await api.groupMembers.add(groupId, level, { userId });
    } catch (err) {
      if (!isForgeStatus(err, 409)) throw err;
      const member = await api.groupMembers.show(groupId, userId);
      if ((member.access_level as number) < level) await api.groupMembers.edit(groupId, userId, level);
    }
  }

  return { ensureGroup, grantGroupAccess };
}
