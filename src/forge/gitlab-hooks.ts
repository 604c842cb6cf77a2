import type * as gitbeaker from '@gitbeaker/core';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { ForgePush } from './forge.ts';
import { isForgeStatus, type ForgeCallError } from './forge-errors.ts';

/** A project hook as labgate reads it (API::Entities::ProjectHook; the token is never returned). */
const hookRow = z.object({ id: z.number().int(), url: z.string() });

/** A push event row (API::Entities::Event with PushEventPayload), as much as labgate reads. */
const pushEventRow = z.object({
  id: z.number().int(),
  created_at: z.string().refine((s) => !Number.isNaN(Date.parse(s))),
  author_username: z.string().nullish(),
  push_data: z.object({
    ref_type: z.string(),
    ref: z.string().nullable(),
    commit_from: z.string().nullable(),
    commit_to: z.string().nullable(),
  }),
});

const dayMs = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function hookUrlRefused(url: string, cause: ForgeCallError) {
  return new AppError({
    code: 'FORGE_HOOK_URL_REFUSED',
    status: 502,
    message: `GitLab refused ${url} as a webhook URL (${cause.description}).`,
    hint:
      'GitLab refuses hooks to loopback and private networks unless an administrator enables ' +
      '"Allow requests to the local network from webhooks and integrations" ' +
      '(allow_local_requests_from_web_hooks_and_services); otherwise give labgate a public URL.',
    cause,
  });
}

/** Push hooks and the events API: how labgate learns of pushes, with GitLab's own times. */
export function createGitlabHooks(api: { projectHooks: gitbeaker.ProjectHooks; events: gitbeaker.Events }) {
  const hooksAt = async (projectId: number, url: string) =>
    z
      .array(hookRow)
      .parse(await api.projectHooks.all(projectId, { perPage: 100 }))
      .filter((h) => h.url === url)
      .sort((a, b) => a.id - b.id);

  async function ensurePushHook(projectId: number, o: { url: string; token: string }) {
    const settings = { token: o.token, pushEvents: true, tagPushEvents: false, enableSslVerification: true };
    try {
      const [existing] = await hooksAt(projectId, o.url);
      // The token cannot be read back: write it each time, so a rotated secret reaches old hooks too.
      if (existing) return void (await api.projectHooks.edit(projectId, existing.id, o.url, settings));
      await api.projectHooks.add(projectId, o.url, settings);
    } catch (err) {
      if (isForgeStatus(err, 422)) throw hookUrlRefused(o.url, err as ForgeCallError);
      throw err;
    }
    // Two calls at once may both have added one: the oldest stays.
    for (const extra of (await hooksAt(projectId, o.url)).slice(1)) {
      try {
        await api.projectHooks.remove(projectId, extra.id);
      } catch (err) {
        if (!isForgeStatus(err, 404)) throw err;
      }
    }
  }

  /**
   * `after` is an exclusive whole day in the instance's time zone: asking from two days before
   * `since` covers any zone, and the rows are then filtered on their own `created_at`.
   */
  async function pushEvents(projectId: number, since: Date): Promise<ForgePush[]> {
    const rows = await api.events.all({
      projectId,
      action: 'pushed',
      after: utcDay(since.getTime() - 2 * dayMs),
      sort: 'asc',
      perPage: 100,
    });
    const pushes: ForgePush[] = [];
    for (const row of rows as unknown[]) {
      const parsed = pushEventRow.safeParse(row);
      if (!parsed.success) continue; // not a push row (GitLab adds kinds over time)
      const e = parsed.data;
      const pushedAt = Date.parse(e.created_at);
      // Tags and bulk pushes (no ref: more than 3 refs at once) say nothing about one branch.
      if (e.push_data.ref_type !== 'branch' || e.push_data.ref === null || pushedAt < since.getTime())
        continue;
      pushes.push({
        key: `event:${e.id}`,
        projectId,
        ref: e.push_data.ref,
        before: e.push_data.commit_from ?? undefined,
        after: e.push_data.commit_to ?? undefined,
        pushedAt,
        author: e.author_username ?? '',
      });
    }
    return pushes;
  }

  return { ensurePushHook, pushEvents };
}
