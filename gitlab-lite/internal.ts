import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { projectAccess } from './access.ts';
import { forbidden } from './gitlab-errors.ts';
import { getNamespace } from './namespaces.ts';
import { findProjectIn, type ProjectRow } from './projects.ts';
import { checkPush } from './protected-branches.ts';
import type { RefChange } from './push-data.ts';
import type { Store } from './store.ts';

interface PreReceive {
  projectId: number;
  userId: number;
  changes: Array<{ ref: string; forced: boolean; deleting: boolean; creating: boolean }>;
}

interface PostReceive {
  projectId: number;
  userId: number;
  changes: RefChange[];
}

/** What GitLab's internal API does for Gitaly's hooks: may this user push these refs, and what follows. */
export function registerInternalRoutes(
  server: FastifyInstance,
  store: Store,
  o: {
    secret: string;
    refsUpdated: (project: ProjectRow, userId: number, changes: RefChange[]) => Promise<void>;
  },
) {
  const authentic = (request: FastifyRequest) => {
    const given = Buffer.from(String(request.headers['x-gitlab-lite-secret'] ?? ''));
    if (given.length !== o.secret.length || !timingSafeEqual(given, Buffer.from(o.secret))) throw forbidden();
  };

  server.post('/-/internal/pre-receive', async (request) => {
    authentic(request);
    const body = request.body as PreReceive;
    const project = findProjectIn(store, String(body.projectId));
    if (!project) return { allowed: false, message: 'The project you were looking for could not be found.' };
    const user = store.prepare('SELECT is_admin FROM users WHERE id = ?').get(body.userId) as
      { is_admin: number } | undefined;
    const caller = user && { userId: body.userId, isAdmin: user.is_admin === 1, scopes: [] };
    const level = projectAccess(store, caller, project, getNamespace(store, String(project.namespace_id)));
    return checkPush(store, { project, level, changes: body.changes });
  });

  // /api/v4/internal/post_receive: the refs have moved; events are recorded, hooks queued.
  server.post('/-/internal/post-receive', { bodyLimit: 64 * 2 ** 20 }, async (request) => {
    authentic(request);
    const body = request.body as PostReceive;
    const project = findProjectIn(store, String(body.projectId));
    if (project) await o.refsUpdated(project, body.userId, body.changes);
    return { ok: true };
  });
}
