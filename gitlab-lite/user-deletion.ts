import { rm } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { requireCaller } from './auth.ts';
import { conflict, forbidden, notFound } from './gitlab-errors.ts';
import { createPersonalNamespace } from './namespaces.ts';
import { repositoryPath } from './repositories.ts';
import type { Store } from './store.ts';

const truthy = (v: unknown) => v === true || v === 'true' || v === 1 || v === '1';

/** GitLab's Ghost User (app/models/user.rb `ghost`): what a deleted account's remaining work points to. */
function ghostId(store: Store): number {
  const found = store.prepare(`SELECT id FROM users WHERE user_type = 'ghost'`).get() as
    { id: number } | undefined;
  if (found) return found.id;
  const t = new Date().toISOString();
  const id = Number(
    store
      .prepare(
        `INSERT INTO users (username, email, name, state, created_at, confirmed_at, user_type)
         VALUES ('ghost', 'ghost@gitlab-lite.invalid', 'Ghost User', 'blocked', ?, ?, 'ghost')`,
      )
      .run(t, t).lastInsertRowid,
  );
  createPersonalNamespace(store, { userId: id, username: 'ghost', name: 'Ghost User' });
  return id;
}

/**
 * `DELETE /users/:id` (doc/api/users.md), admin only: the account, its identities, tokens, memberships
 * and personal projects go; `hard_delete` also removes what it did elsewhere (here: its events). GitLab
 * answers 204 and works in the background; here it is done before answering.
 */
export function registerUserDeletionRoute(server: FastifyInstance, store: Store, o: { dataDir: string }) {
  server.delete('/api/v4/users/:id', async (request, reply) => {
    if (!requireCaller(store, request).isAdmin) throw forbidden();
    const id = (request.params as { id: string }).id;
    const user = /^\d+$/.test(id)
      ? (store.prepare(`SELECT id FROM users WHERE id = ? AND user_type <> 'ghost'`).get(Number(id)) as
          { id: number } | undefined)
      : undefined;
    if (!user) throw notFound('User');
    const params = { ...(request.query as object), ...((request.body ?? {}) as object) } as Record<
      string,
      unknown
    >;
    const hard = truthy(params.hard_delete);
    const soleOwner = store
      .prepare(
        `SELECT 1 FROM members m WHERE m.source_type = 'namespace' AND m.user_id = ? AND m.access_level = 50
           AND NOT EXISTS (SELECT 1 FROM members o WHERE o.source_type = 'namespace' AND o.source_id = m.source_id
                             AND o.user_id <> m.user_id AND o.access_level = 50)`,
      )
      .get(user.id);
    if (soleOwner && !hard) throw conflict('User cannot be removed while is the sole-owner of a group');
    const personal = store
      .prepare(
        `SELECT p.id, n.full_path || '/' || p.path AS full_path FROM projects p
           JOIN namespaces n ON n.id = p.namespace_id WHERE n.kind = 'user' AND n.owner_id = ?`,
      )
      .all(user.id) as Array<{ id: number; full_path: string }>;
    store.transaction(() => {
      for (const p of personal) {
        store.prepare(`DELETE FROM members WHERE source_type = 'project' AND source_id = ?`).run(p.id);
        store.prepare('DELETE FROM projects WHERE id = ?').run(p.id);
      }
      store.prepare('UPDATE projects SET creator_id = ? WHERE creator_id = ?').run(ghostId(store), user.id);
      if (hard) store.prepare('DELETE FROM events WHERE author_id = ?').run(user.id);
      store.prepare('DELETE FROM users WHERE id = ?').run(user.id);
    })();
    for (const p of personal)
      await rm(repositoryPath(o.dataDir, p.full_path), { recursive: true, force: true });
    return reply.status(204).send();
  });
}
