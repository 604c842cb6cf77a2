import { randomUUID } from 'node:crypto';
import { readSetting } from './application-settings.ts';
import { isLocalUrl, parseHookUrl } from './hook-urls.ts';
import { getNamespace } from './namespaces.ts';
import { matches } from './protected-branches.ts';
import { projectHooks, type ProjectHookRow } from './project-hooks.ts';
import type { ProjectRow } from './projects.ts';
import {
  changeAction,
  changeCommits,
  isBlank,
  pushHookBody,
  refKind,
  shortRef,
  type RefChange,
} from './push-data.ts';
import { commitTitle, recordPushEvent } from './push-events.ts';
import { repositoryPath } from './repositories.ts';
import { gitIn } from './repository-reads.ts';
import type { Store } from './store.ts';
import type { UserRow } from './user-entities.ts';
import type { HookDispatcher } from './webhook-delivery.ts';

/** WebHook#push_events_branch_filter with its strategy (wildcard, regex, all_branches). */
function wantsBranch(h: ProjectHookRow, branch: string) {
  const filter = h.push_events_branch_filter;
  if (!filter || h.branch_filter_strategy === 'all_branches') return true;
  if (h.branch_filter_strategy === 'regex') return new RegExp(filter).test(branch);
  return matches(filter, branch);
}

/** How many commits a change brings and its newest one's title; the refs have moved whatever git says. */
async function summary(dir: string, project: ProjectRow, c: RefChange) {
  try {
    const { shas, count } = await changeCommits(dir, project, c);
    const newest = shas.at(-1);
    const message = newest && (await gitIn(dir, ['log', '-1', '--format=%B', newest]));
    return { count, title: commitTitle(message || undefined) };
  } catch (err) {
    console.error('gitlab-lite: could not read the commits of a push', err);
    return { count: 0, title: null };
  }
}

/**
 * GitLab's PostReceive after refs moved (push, API commit or tag): push events at the server's clock,
 * then Push Hooks in the background, grouped as Git::ProcessRefChangesService groups them.
 */
export function createRefUpdates(
  store: Store,
  o: { dataDir: string; baseUrl: () => string; hooks: HookDispatcher },
) {
  return async function refsUpdated(project: ProjectRow, userId: number, all: RefChange[]) {
    const user = store.prepare('SELECT * FROM users WHERE id = ?').get(userId) as UserRow | undefined;
    if (!user) return;
    const ns = getNamespace(store, String(project.namespace_id));
    const dir = repositoryPath(o.dataDir, `${ns.full_path}/${project.path}`);
    const groups = new Map<string, RefChange[]>();
    for (const c of all) {
      const kind = refKind(c.ref);
      if (!kind) continue; // GitLab processes branches and tags only
      const key = `${kind}:${changeAction(c)}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const eventUuid = randomUUID();
    for (const [key, changes] of groups) {
      const [kind, action] = key.split(':') as ['branch' | 'tag', 'created' | 'removed' | 'pushed'];
      const bulk = changes.length > readSetting(store, 'push_event_activities_limit');
      const fireHooks = changes.length <= readSetting(store, 'push_event_hooks_limit');
      for (const c of changes) {
        if (!bulk) {
          const { count, title } = await summary(dir, project, c);
          recordPushEvent(store, {
            projectId: project.id,
            authorId: user.id,
            push: {
              commit_count: count,
              action,
              ref_type: kind,
              commit_from: isBlank(c.before) ? null : c.before,
              commit_to: isBlank(c.after) ? null : c.after,
              ref: shortRef(c.ref),
              commit_title: title,
              ref_count: null,
            },
          });
        }
        if (fireHooks) deliverHooks(project, user, dir, c, eventUuid);
      }
      if (bulk) {
        const push = { commit_count: 0, action, ref_type: kind, ref_count: changes.length };
        recordPushEvent(store, {
          projectId: project.id,
          authorId: user.id,
          push: { ...push, commit_from: null, commit_to: null, ref: null, commit_title: null },
        });
      }
    }
  };

  function deliverHooks(project: ProjectRow, user: UserRow, dir: string, c: RefChange, eventUuid: string) {
    const tag = refKind(c.ref) === 'tag';
    let body: Promise<unknown> | undefined;
    for (const h of projectHooks(store, project.id)) {
      if (tag ? h.tag_push_events !== 1 : h.push_events !== 1 || !wantsBranch(h, shortRef(c.ref))) continue;
      o.hooks.deliver({
        url: h.url,
        token: h.token,
        event: tag ? 'Tag Push Hook' : 'Push Hook',
        eventUuid,
        body: () => (body ??= pushHookBody(store, { dir, baseUrl: o.baseUrl(), project, user, change: c })),
        blocked: async () => {
          const url = parseHookUrl(h.url);
          if (!url) return true;
          return !readSetting(store, 'allow_local_requests_from_web_hooks_and_services') && isLocalUrl(url);
        },
      });
    }
  }
}

export type RefUpdates = ReturnType<typeof createRefUpdates>;
