import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { projectAccess } from './access.ts';
import { forbidden } from './gitlab-errors.ts';
import { getNamespace } from './namespaces.ts';
import { findProjectIn } from './projects.ts';
import { checkPush } from './protected-branches.ts';
import type { Store } from './store.ts';

interface PreReceive {
  projectId: number;
  userId: number;
  changes: Array<{ ref: string; forced: boolean; deleting: boolean; creating: boolean }>;
}

/** What GitLab's internal API does for Gitaly's pre-receive hook: may this user push these refs? */
export function registerInternalRoutes(server: FastifyInstance, store: Store, secret: string) {
  server.post('/-/internal/pre-receive', async (request) => {
    const given = Buffer.from(String(request.headers['x-gitlab-lite-secret'] ?? ''));
    if (given.length !== secret.length || !timingSafeEqual(given, Buffer.from(secret))) throw forbidden();
    const body = request.body as PreReceive;
    const project = findProjectIn(store, String(body.projectId));
    if (!project) return { allowed: false, message: 'The project you were looking for could not be found.' };
    const user = store.prepare('SELECT is_admin FROM users WHERE id = ?').get(body.userId) as
      { is_admin: number } | undefined;
    const caller = user && { userId: body.userId, isAdmin: user.is_admin === 1, scopes: [] };
    const level = projectAccess(store, caller, project, getNamespace(store, String(project.namespace_id)));
    return checkPush(store, { project, level, changes: body.changes });
  });
}
