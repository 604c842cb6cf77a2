import type * as gitbeaker from '@gitbeaker/core';
import { z } from 'zod';
import type { ForgeProjectChoice } from './forge.ts';
import { isForgeStatus } from './forge-errors.ts';

const reporter = 20;
const projectRow = z.object({
  id: z.number().int(),
  path_with_namespace: z.string(),
  name: z.string(),
  empty_repo: z.boolean().optional(),
  visibility: z.string().optional(),
});
const memberRow = z.object({ access_level: z.number() });
const userRow = z.object({ is_admin: z.boolean().optional(), external: z.boolean().optional() });

const toChoice = (p: z.infer<typeof projectRow>): ForgeProjectChoice => ({
  id: p.id,
  pathWithNamespace: p.path_with_namespace,
  name: p.name,
  emptyRepo: p.empty_repo === true,
});

async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (isForgeStatus(err, 404)) return undefined;
    throw err;
  }
}

/** Who can read what: for a teacher choosing a template, or checking one they name. */
export function createGitlabReaders(api: {
  projects: gitbeaker.Projects;
  projectMembers: gitbeaker.ProjectMembers;
  users: gitbeaker.Users;
}) {
  /**
   * The user's projects with Reporter or more (as them, through `Sudo`, which needs the admin token's
   * `sudo` scope), then public ones; most recently active first.
   */
  async function readableProjects(
    userId: number,
    search: string,
    limit: number,
  ): Promise<ForgeProjectChoice[]> {
    const page = {
      pagination: 'offset' as const,
      perPage: Math.min(100, limit),
      maxPages: Math.ceil(limit / 100),
      orderBy: 'last_activity_at' as const,
      sort: 'desc' as const,
    };
    const query = { ...page, ...(search ? { search } : {}) };
    const member = await api.projects.all({
      ...query,
      membership: true,
      minAccessLevel: reporter,
      sudo: userId,
    });
    const open = await api.projects.all({ ...query, visibility: 'public' });
    const seen = new Set<number>();
    const choices: ForgeProjectChoice[] = [];
    for (const p of z.array(projectRow).parse([...member, ...open])) {
      if (seen.has(p.id) || choices.length >= limit) continue;
      seen.add(p.id);
      choices.push(toChoice(p));
    }
    return choices;
  }

  /** Reporter or more (inherited from groups too), or a project open to them: public, internal, or an admin. */
  async function canRead(userId: number, projectId: number): Promise<boolean> {
    const member = await orUndefined(api.projectMembers.show(projectId, userId, { includeInherited: true }));
    if (member && memberRow.parse(member).access_level >= reporter) return true;
    const project = await orUndefined(api.projects.show(projectId));
    if (!project) return false;
    const visibility = projectRow.parse(project).visibility;
    if (visibility === 'public') return true;
    const user = await orUndefined(api.users.show(userId));
    if (!user) return false;
    const u = userRow.parse(user);
    return u.is_admin === true || (visibility === 'internal' && u.external !== true);
  }

  return { readableProjects, canRead };
}
