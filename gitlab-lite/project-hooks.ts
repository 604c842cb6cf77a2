import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Access, projectAccess } from './access.ts';
import { requireCaller } from './auth.ts';
import { readSetting } from './application-settings.ts';
import { forbidden, GitlabError, invalidParams, notFound } from './gitlab-errors.ts';
import { isLocalUrl, parseHookUrl } from './hook-urls.ts';
import { getNamespace } from './namespaces.ts';
import { paginate } from './pagination.ts';
import { canAccess, findProjectIn } from './projects.ts';
import type { Store } from './store.ts';

export interface ProjectHookRow {
  id: number;
  project_id: number;
  url: string;
  token: string | null;
  name: string | null;
  description: string | null;
  push_events: number;
  tag_push_events: number;
  push_events_branch_filter: string | null;
  branch_filter_strategy: string;
  enable_ssl_verification: number;
  created_at: string;
}

type Params = Record<string, unknown>;
const strategies = ['wildcard', 'regex', 'all_branches'];
const booleans = ['push_events', 'tag_push_events', 'enable_ssl_verification'] as const;
const strings = ['name', 'description', 'push_events_branch_filter', 'branch_filter_strategy'] as const;
// Grape's `error!(message, 422)` shape, as lib/api/helpers/web_hooks_helpers.rb answers.
const invalidUrl = () => new GitlabError(422, { error: 'Invalid url given' });
const invalidFilter = () => new GitlabError(422, { error: 'Invalid branch filter given' });
const recordNotFound = () => new GitlabError(404, { message: '404 Not found' });

/** API::Entities::ProjectHook; the token is write-only, events gitlab-lite never sends stay false. */
export function hookEntity(h: ProjectHookRow, o: { withVariables: boolean }) {
  const off = false;
  return {
    id: h.id,
    url: h.url,
    name: h.name,
    description: h.description,
    created_at: h.created_at,
    push_events: h.push_events === 1,
    tag_push_events: h.tag_push_events === 1,
    merge_requests_events: off,
    repository_update_events: off,
    enable_ssl_verification: h.enable_ssl_verification === 1,
    alert_status: 'executable',
    disabled_until: null,
    ...(o.withVariables ? { url_variables: [] } : {}),
    push_events_branch_filter: h.push_events_branch_filter,
    branch_filter_strategy: h.branch_filter_strategy,
    custom_webhook_template: null,
    ...(o.withVariables ? { custom_headers: [] } : {}),
    project_id: h.project_id,
    issues_events: off,
    confidential_issues_events: off,
    note_events: off,
    confidential_note_events: off,
    pipeline_events: off,
    wiki_page_events: off,
    deployment_events: off,
    feature_flag_events: off,
    job_events: off,
    releases_events: off,
    milestone_events: off,
    emoji_events: off,
    resource_access_token_events: off,
    vulnerability_events: off,
  };
}

export const projectHooks = (store: Store, projectId: number) =>
  store
    .prepare('SELECT * FROM project_hooks WHERE project_id = ? ORDER BY id')
    .all(projectId) as ProjectHookRow[];

/** The hook's fields from a request, checked as WebHook's validations do (URL, filter, strategy). */
async function hookFields(store: Store, q: Params, existing?: ProjectHookRow) {
  const fields: Record<string, string | number | null> = {};
  const url = typeof q.url === 'string' ? q.url : undefined;
  if (url !== undefined) {
    const parsed = parseHookUrl(url);
    const allowLocal = readSetting(store, 'allow_local_requests_from_web_hooks_and_services');
    if (!parsed || (!allowLocal && (await isLocalUrl(parsed)))) throw invalidUrl();
    fields.url = url;
    // WebHook#reset_token: a new URL without a new token forgets the old secret.
    if (existing && url !== existing.url && q.token === undefined) fields.token = null;
  }
  if (q.token !== undefined) fields.token = String(q.token);
  for (const key of booleans) {
    const v = q[key];
    if (v === undefined) continue;
    if (![true, false, 'true', 'false'].includes(v as never)) throw invalidParams(`${key} is invalid`);
    fields[key] = v === true || v === 'true' ? 1 : 0;
  }
  for (const key of strings) if (q[key] !== undefined) fields[key] = q[key] === null ? null : String(q[key]);
  const strategy = (fields.branch_filter_strategy ??
    existing?.branch_filter_strategy ??
    'wildcard') as string;
  if (!strategies.includes(strategy))
    throw invalidParams('branch_filter_strategy does not have a valid value');
  const filter = fields.push_events_branch_filter ?? existing?.push_events_branch_filter;
  if (strategy === 'regex' && filter) {
    try {
      new RegExp(filter as string);
    } catch {
      throw invalidFilter();
    }
  }
  return fields;
}

/** Project webhooks (doc/api/project_webhooks.md): Maintainers and admins manage them. */
export function registerProjectHookRoutes(server: FastifyInstance, store: Store, baseUrl: () => string) {
  function project(request: FastifyRequest) {
    const caller = requireCaller(store, request);
    const p = findProjectIn(store, (request.params as { id: string }).id);
    const ns = p && getNamespace(store, String(p.namespace_id));
    if (!p || !ns || !canAccess(store, caller, p, ns, 'see')) throw notFound('Project');
    if (projectAccess(store, caller, p, ns) < Access.maintainer) throw forbidden();
    return p;
  }
  const params = (request: FastifyRequest) => ({
    ...(request.query as Params),
    ...((request.body ?? {}) as Params),
  });
  const find = (projectId: number, id: string) => {
    const hook = /^\d+$/.test(id)
      ? (store
          .prepare('SELECT * FROM project_hooks WHERE project_id = ? AND id = ?')
          .get(projectId, Number(id)) as ProjectHookRow | undefined)
      : undefined;
    if (!hook) throw recordNotFound();
    return hook;
  };
  const hookId = (request: FastifyRequest) => (request.params as { hook_id: string }).hook_id;

  server.get('/api/v4/projects/:id/hooks', async (request, reply) => {
    const p = project(request);
    return paginate(request, reply, baseUrl(), projectHooks(store, p.id)).map((h) =>
      hookEntity(h, { withVariables: false }),
    );
  });

  server.get('/api/v4/projects/:id/hooks/:hook_id', async (request) =>
    hookEntity(find(project(request).id, hookId(request)), { withVariables: true }),
  );

  server.post('/api/v4/projects/:id/hooks', async (request, reply) => {
    const p = project(request);
    const q = params(request);
    if (typeof q.url !== 'string' || !q.url) throw invalidParams('url is missing');
    const fields = {
      ...(await hookFields(store, q)),
      project_id: p.id,
      created_at: new Date().toISOString(),
    };
    const columns = Object.keys(fields);
    const id = store
      .prepare(
        `INSERT INTO project_hooks (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      )
      .run(...Object.values(fields)).lastInsertRowid;
    return reply.status(201).send(hookEntity(find(p.id, String(id)), { withVariables: true }));
  });

  server.put('/api/v4/projects/:id/hooks/:hook_id', async (request) => {
    const p = project(request);
    const hook = find(p.id, hookId(request));
    const fields = await hookFields(store, params(request), hook);
    const columns = Object.keys(fields);
    if (columns.length > 0)
      store
        .prepare(`UPDATE project_hooks SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`)
        .run(...Object.values(fields), hook.id);
    return hookEntity(find(p.id, hookId(request)), { withVariables: true });
  });

  server.delete('/api/v4/projects/:id/hooks/:hook_id', async (request, reply) => {
    const p = project(request);
    store.prepare('DELETE FROM project_hooks WHERE id = ?').run(find(p.id, hookId(request)).id);
    return reply.status(204).send();
  });
}
