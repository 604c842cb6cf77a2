import type * as gitbeaker from '@gitbeaker/core';
import type { ForgeAccess, ForgeGroup, ForgeProject, RepoToken } from './forge.ts';
import { isForgeStatus } from './forge-errors.ts';

type ProjectBody = Record<string, unknown>;

const toProject = (p: ProjectBody): ForgeProject => ({
  id: p.id as number,
  pathWithNamespace: p.path_with_namespace as string,
  defaultBranch: (p.default_branch as string | null) ?? 'main',
  emptyRepo: p.empty_repo === true,
  importStatus: (p.import_status as string | undefined) ?? 'none',
  importError: (p.import_error as string | null | undefined) ?? undefined,
  forkedFromId: (p.forked_from_project as { id?: number } | undefined)?.id,
  httpUrl: p.http_url_to_repo as string,
  webUrl: p.web_url as string,
});

const tokenKinds = {
  write: { name: 'labgate-workspace', scopes: ['read_repository', 'write_repository'], level: 30 },
  read: { name: 'labgate-template-read', scopes: ['read_repository'], level: 20 },
} as const;
const developer = 30;
const staleMs = 3600_000;

/** GitLab expires tokens by date: the token works until the end of that day (UTC). */
const dayIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export function createGitlabProjects(api: {
  projects: gitbeaker.Projects;
  projectMembers: gitbeaker.ProjectMembers;
  protectedBranches: gitbeaker.ProtectedBranches;
  projectAccessTokens: gitbeaker.ProjectAccessTokens;
}) {
  async function findProject(idOrPath: number | string): Promise<ForgeProject | undefined> {
    try {
      return toProject((await api.projects.show(idOrPath)) as ProjectBody);
    } catch (err) {
      if (isForgeStatus(err, 404)) return undefined;
      throw err;
    }
  }

  async function startFork(o: {
    templateId: number;
    namespace: ForgeGroup;
    path: string;
    name: string;
  }): Promise<{ project: ForgeProject } | { taken: true }> {
    try {
      const fork = await api.projects.fork(o.templateId, {
        namespaceId: o.namespace.id,
        path: o.path,
        name: o.name,
        visibility: 'private',
      });
      return { project: toProject(fork as ProjectBody) };
    } catch (err) {
      if (!isForgeStatus(err, 409)) throw err;
      // Our earlier request may have gone through (a retried call, a crash before we noted it).
      const existing = await findProject(`${o.namespace.fullPath}/${o.path}`);
      if (existing && existing.forkedFromId === o.templateId) return { project: existing };
      return { taken: true };
    }
  }

  async function deleteProject(id: number) {
    try {
      await api.projects.remove(id);
    } catch (err) {
      if (!isForgeStatus(err, 404)) throw err;
    }
  }

  async function grantProjectAccess(projectId: number, userId: number, level: ForgeAccess) {
    try {
      await api.projectMembers.add(projectId, level, { userId });
    } catch (err) {
      if (!isForgeStatus(err, 409)) throw err;
      const member = await api.projectMembers.show(projectId, userId);
      if ((member.access_level as number) < level) await api.projectMembers.edit(projectId, userId, level);
    }
  }

  async function openBranchToDevelopers(projectId: number, branch: string) {
    try {
      const rule = await api.protectedBranches.show(projectId, branch);
      const levels = (rule.push_access_levels as Array<{ access_level: number }> | undefined) ?? [];
      if (levels.some((l) => l.access_level <= developer && l.access_level > 0)) return;
      await api.protectedBranches.remove(projectId, branch);
    } catch (err) {
      if (!isForgeStatus(err, 404)) throw err;
    }
    try {
      await api.protectedBranches.create(projectId, branch, {
        pushAccessLevel: developer,
        mergeAccessLevel: developer,
        allowForcePush: false,
      });
    } catch (err) {
      if (!isForgeStatus(err, 409)) throw err; // a concurrent call did the same
    }
  }

  async function revokeRepoToken(projectId: number, tokenId: number) {
    try {
      await api.projectAccessTokens.revoke(projectId, tokenId);
    } catch (err) {
      if (!isForgeStatus(err, 404)) throw err;
    }
  }

  async function mintRepoToken(
    projectId: number,
    o: { days: number; access: 'read' | 'write' },
  ): Promise<RepoToken> {
    const kind = tokenKinds[o.access];
    const expiresAt = dayIn(o.days);
    const minted = await api.projectAccessTokens.create(projectId, kind.name, [...kind.scopes], expiresAt, {
      accessLevel: kind.level,
    });
    const stale = (await api.projectAccessTokens.all(projectId)).filter(
      (t) =>
        t.name === kind.name && t.id !== minted.id && Date.now() - Date.parse(String(t.created_at)) > staleMs,
    );
    for (const t of stale) await revokeRepoToken(projectId, t.id as number);
    return { id: minted.id as number, token: minted.token as string, expiresAt };
  }

  async function ensureProject(o: {
    namespace: ForgeGroup;
    path: string;
    name: string;
  }): Promise<ForgeProject> {
    const existing = await findProject(`${o.namespace.fullPath}/${o.path}`);
    if (existing) return existing;
    try {
      const made = await api.projects.create({
        name: o.name,
        path: o.path,
        namespaceId: o.namespace.id,
        visibility: 'private',
      });
      return toProject(made as ProjectBody);
    } catch (err) {
      // Made meanwhile by a concurrent call: take it.
      const again =
        isForgeStatus(err, 400) || isForgeStatus(err, 409)
          ? await findProject(`${o.namespace.fullPath}/${o.path}`)
          : undefined;
      if (again) return again;
      throw err;
    }
  }

  return {
    ensureProject,
    findProject,
    startFork,
    deleteProject,
    grantProjectAccess,
    openBranchToDevelopers,
    mintRepoToken,
    revokeRepoToken,
  };
}
