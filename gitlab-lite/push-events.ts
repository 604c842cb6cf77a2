import type { FastifyInstance } from 'fastify';
import { Access, projectAccess } from './access.ts';
import { requireCaller } from './auth.ts';
import { invalidParams, notFound } from './gitlab-errors.ts';
import { getNamespace } from './namespaces.ts';
import { paginate } from './pagination.ts';
import { canAccess, findProjectIn } from './projects.ts';
import type { Store } from './store.ts';
import { userEntities, type UserRow } from './user-entities.ts';

interface EventRow {
  id: number;
  project_id: number;
  author_id: number;
  action: string;
  created_at: string;
  push_commit_count: number | null;
  push_action: 'created' | 'removed' | 'pushed' | null;
  push_ref_type: 'branch' | 'tag' | null;
  push_commit_from: string | null;
  push_commit_to: string | null;
  push_ref: string | null;
  push_commit_title: string | null;
  push_ref_count: number | null;
}

export type PushPayload = {
  commit_count: number;
  action: 'created' | 'removed' | 'pushed';
  ref_type: 'branch' | 'tag';
  commit_from: string | null;
  commit_to: string | null;
  ref: string | null;
  commit_title: string | null;
  ref_count: number | null;
};

/** EventCreateService#push: a `pushed` event with its payload, at the server's clock. */
export function recordPushEvent(store: Store, o: { projectId: number; authorId: number; push: PushPayload }) {
  const p = o.push;
  store
    .prepare(
      `INSERT INTO events (project_id, author_id, action, created_at, push_commit_count, push_action, push_ref_type,
         push_commit_from, push_commit_to, push_ref, push_commit_title, push_ref_count)
       VALUES (?, ?, 'pushed', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      o.projectId,
      o.authorId,
      new Date().toISOString(),
      p.commit_count,
      p.action,
      p.ref_type,
      p.commit_from,
      p.commit_to,
      p.ref,
      p.commit_title,
      p.ref_count,
    );
}

/** PushEventPayloadService#commit_title: the first line, at most 70 characters (Rails' truncate). */
export const commitTitle = (message: string | undefined) => {
  if (message === undefined) return null;
  const line = message.split('\n')[0]!.trim();
  return line.length > 70 ? `${line.slice(0, 67)}...` : line;
};

const actions = ['created', 'updated', 'closed', 'reopened', 'pushed', 'commented', 'merged'].concat([
  'joined',
  'left',
  'destroyed',
  'expired',
  'approved',
]);
const day = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/;

/** Event#action_name for a push. */
const pushActionName = (e: EventRow) =>
  e.push_action === 'created' ? 'pushed new' : e.push_action === 'removed' ? 'deleted' : 'pushed to';

/** `GET /projects/:id/events` (doc/api/events.md), EventsFinder's filters and API::Entities::Event. */
export function registerProjectEventRoutes(server: FastifyInstance, store: Store, baseUrl: () => string) {
  const users = userEntities(store, baseUrl);

  const entity = (e: EventRow) => {
    const author = store.prepare('SELECT * FROM users WHERE id = ?').get(e.author_id) as UserRow | undefined;
    return {
      id: e.id,
      project_id: e.project_id,
      action_name: pushActionName(e),
      target_id: null,
      target_iid: null,
      target_type: null,
      author_id: e.author_id,
      target_title: null,
      created_at: e.created_at,
      ...(author ? { author: users.basic(author) } : {}),
      imported: false,
      imported_from: 'none',
      push_data: {
        commit_count: e.push_commit_count,
        action: e.push_action,
        ref_type: e.push_ref_type,
        commit_from: e.push_commit_from,
        commit_to: e.push_commit_to,
        ref: e.push_ref,
        commit_title: e.push_commit_title,
        ref_count: e.push_ref_count,
      },
      author_username: author?.username ?? null,
    };
  };

  server.get('/api/v4/projects/:id/events', async (request, reply) => {
    const caller = requireCaller(store, request);
    const p = findProjectIn(store, (request.params as { id: string }).id);
    const ns = p && getNamespace(store, String(p.namespace_id));
    if (!p || !ns || !canAccess(store, caller, p, ns, 'see')) throw notFound('Project');
    const q = request.query as Record<string, string | undefined>;
    if (q.action !== undefined && !actions.includes(q.action))
      throw invalidParams('action does not have a valid value');
    if (q.sort !== undefined && q.sort !== 'asc' && q.sort !== 'desc')
      throw invalidParams('sort does not have a valid value');
    const where = ['project_id = ?'];
    const args: Array<string | number> = [p.id];
    if (q.action) {
      where.push('action = ?');
      args.push(q.action);
    }
    // Dates, not times: `after` keeps what comes after that whole day, `before` what precedes it.
    for (const [key, op, suffix] of [
      ['after', '>', 'T23:59:59.999Z'],
      ['before', '<', 'T00:00:00.000Z'],
    ] as const) {
      if (q[key] === undefined) continue;
      const date = day.exec(q[key])?.[1];
      if (!date || Number.isNaN(Date.parse(date))) throw invalidParams(`${key} is invalid`);
      where.push(`created_at ${op} ?`);
      args.push(`${date}${suffix}`);
    }
    const rows = store
      .prepare(
        `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY id ${q.sort === 'asc' ? 'ASC' : 'DESC'}`,
      )
      .all(...args) as EventRow[];
    // Event#visible_to_user?: push events need download_code, filtered after paging as GitLab does.
    const readsCode = projectAccess(store, caller, p, ns) >= Access.reporter || p.visibility === 'public';
    return paginate(request, reply, baseUrl(), rows)
      .filter((e) => e.action !== 'pushed' || readsCode)
      .map(entity);
  });
}
