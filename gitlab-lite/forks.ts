import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { Access, namespaceAccess } from './access.ts';
import { requireCaller, type Caller } from './auth.ts';
import { GitlabError, notFound } from './gitlab-errors.ts';
import { findNamespace, getNamespace, type NamespaceRow } from './namespaces.ts';
import { paginate } from './pagination.ts';
import {
  canAccess,
  findProjectIn,
  projectEntities,
  protectDefaultBranch,
  type ProjectRow,
} from './projects.ts';
import { prepareForHttp, repositoryPath } from './repositories.ts';
import type { Store } from './store.ts';

const run = promisify(execFile);
type Params = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const visibilityRank = ['private', 'internal', 'public'];
const lowest = (...vs: string[]) =>
  vs.sort((a, b) => visibilityRank.indexOf(a) - visibilityRank.indexOf(b))[0]!;

/** Test knobs: how long a fork takes, and which forks fail (as Gitaly's fork_repository can). */
export interface ForkKnobs {
  forkLatencyMs: number;
  /** Adds a random 0..N ms to each fork's latency, as a busy Sidekiq queue does. */
  forkLatencyJitterMs: number;
  failFork: (o: { sourcePath: string; targetPath: string }) => boolean;
}

const fullPathOf = (store: Store, p: ProjectRow) =>
  `${getNamespace(store, String(p.namespace_id)).full_path}/${p.path}`;

/**
 * RepositoryForkWorker: scheduled → started → finished | failed, copying the repository server-side
 * and protecting the fork's default branch at the end, as GitLab does.
 */
export function createForkWorker(store: Store, o: { dataDir: string; knobs: ForkKnobs }) {
  const setStatus = (id: number, status: string, error: string | null = null) =>
    store
      .prepare('UPDATE projects SET import_status = ?, import_error = ? WHERE id = ?')
      .run(status, error, id);

  const waiting = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let stopped = false;

  async function forkRepository(forkId: number) {
    await new Promise<void>((resolve) => {
      const wait = {
        resolve,
        timer: setTimeout(
          () => {
            waiting.delete(wait);
            resolve();
          },
          o.knobs.forkLatencyMs + Math.random() * o.knobs.forkLatencyJitterMs,
        ),
      };
      waiting.add(wait);
    });
    if (stopped) return;
    const fork = findProjectIn(store, String(forkId));
    const source = fork?.forked_from_id ? findProjectIn(store, String(fork.forked_from_id)) : undefined;
    if (!fork) return;
    setStatus(forkId, 'started');
    const target = repositoryPath(o.dataDir, fullPathOf(store, fork));
    try {
      if (!source) throw new Error('the source project was deleted');
      const sourcePath = fullPathOf(store, source);
      if (o.knobs.failFork({ sourcePath, targetPath: fullPathOf(store, fork) }))
        throw new Error('injected failure');
      await rm(target, { recursive: true, force: true });
      await run('git', [
        'clone',
        '--quiet',
        '--bare',
        '--no-hardlinks',
        '--',
        repositoryPath(o.dataDir, sourcePath),
        target,
      ]);
      await prepareForHttp(target);
      protectDefaultBranch(store, forkId, fork.default_branch);
      setStatus(forkId, 'finished');
    } catch (err) {
      await rm(target, { recursive: true, force: true });
      setStatus(forkId, 'failed', `Failed to create fork repository: ${(err as Error).message}`);
    }
  }

  /** After a restart, forks that were under way are taken up again rather than left hanging. */
  function resume() {
    const pending = store
      .prepare(`SELECT id FROM projects WHERE import_status IN ('scheduled', 'started')`)
      .all() as Array<{ id: number }>;
    for (const { id } of pending) launch(id);
  }

  /**
   * On shutdown, forks not yet started stay scheduled; the next start takes them up. Copies under way
   * are waited for, so the data folder is quiet once this resolves (it may be deleted then).
   */
  async function stop() {
    stopped = true;
    for (const wait of waiting) {
      clearTimeout(wait.timer);
      wait.resolve();
    }
    waiting.clear();
    await Promise.all(copying);
  }

  const copying = new Set<Promise<void>>();
  // A fork still copying when the store closes fails quietly; it is resumed at the next start.
  const launch = (forkId: number) => {
    const copy = forkRepository(forkId)
      .catch((err: unknown) => {
        if (!stopped) console.error('gitlab-lite: fork worker failed', err);
      })
      .finally(() => copying.delete(copy));
    copying.add(copy);
  };

  return { schedule: launch, resume, stop };
}

function targetNamespace(store: Store, caller: Caller, p: Params): NamespaceRow {
  const wanted = str(p.namespace_id) ?? str(p.namespace_path) ?? str(p.namespace);
  const ns = wanted
    ? findNamespace(store, wanted)
    : (store
        .prepare("SELECT * FROM namespaces WHERE kind = 'user' AND owner_id = ?")
        .get(caller.userId) as NamespaceRow);
  // Non-admins may only fork into namespaces where they can create projects (fork_targets_finder.rb).
  if (!ns || (!caller.isAdmin && namespaceAccess(store, caller.userId, ns) < Access.developer)) {
    throw notFound('Target Namespace');
  }
  return ns;
}

export function registerForkRoutes(
  server: FastifyInstance,
  store: Store,
  o: { baseUrl: () => string; dataDir: string; worker: ReturnType<typeof createForkWorker> },
) {
  const entities = projectEntities(store, o);
  const visibleProject = (caller: Caller, id: string, need: 'see' | 'read_code') => {
    const project = findProjectIn(store, id);
    const ns = project && getNamespace(store, String(project.namespace_id));
    if (!project || !ns || !canAccess(store, caller, project, ns, need)) throw notFound('Project');
    return project;
  };

  server.post('/api/v4/projects/:id/fork', async (request, reply) => {
    const caller = requireCaller(store, request);
    const source = visibleProject(caller, (request.params as { id: string }).id, 'read_code');
    const p = { ...(request.query as Params), ...((request.body ?? {}) as Params) };
    const ns = targetNamespace(store, caller, p);
    const name = str(p.name) ?? source.name;
    const path = str(p.path) ?? source.path;
    const taken = [
      store
        .prepare('SELECT 1 FROM projects WHERE namespace_id = ? AND name = ? COLLATE NOCASE')
        .get(ns.id, name) && 'Name has already been taken',
      store
        .prepare('SELECT 1 FROM projects WHERE namespace_id = ? AND path = ? COLLATE NOCASE')
        .get(ns.id, path) && 'Path has already been taken',
    ].filter(Boolean);
    if (taken.length) throw new GitlabError(409, { message: taken });
    const t = new Date().toISOString();
    const visibility = lowest(
      source.visibility,
      ns.visibility === 'public' || ns.kind === 'user' ? 'public' : ns.visibility,
      str(p.visibility) ?? 'public',
    );
    const id = Number(
      store
        .prepare(
          `INSERT INTO projects (namespace_id, name, path, description, visibility, default_branch, creator_id, created_at,
             last_activity_at, forked_from_id, import_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled')`,
        )
        .run(
          ns.id,
          name,
          path,
          str(p.description) ?? source.description,
          visibility,
          source.default_branch,
          caller.userId,
          t,
          t,
          source.id,
        ).lastInsertRowid,
    );
    o.worker.schedule(id);
    return reply.status(201).send(entities.full(findProjectIn(store, String(id))!));
  });

  server.get('/api/v4/projects/:id/forks', async (request, reply) => {
    const caller = requireCaller(store, request);
    const source = visibleProject(caller, (request.params as { id: string }).id, 'see');
    const forks = (
      store
        .prepare('SELECT * FROM projects WHERE forked_from_id = ? ORDER BY id DESC')
        .all(source.id) as ProjectRow[]
    ).filter((f) => canAccess(store, caller, f, getNamespace(store, String(f.namespace_id)), 'see'));
    return paginate(request, reply, o.baseUrl(), forks).map((f) => entities.full(f));
  });

  server.delete('/api/v4/projects/:id/fork', async (request, reply) => {
    const caller = requireCaller(store, request);
    const project = visibleProject(caller, (request.params as { id: string }).id, 'see');
    if (!project.forked_from_id) return reply.status(304).send();
    store.prepare('UPDATE projects SET forked_from_id = NULL WHERE id = ?').run(project.id);
    return reply.status(204).send();
  });

  server.post('/api/v4/projects/:id/fork/:forked_from_id', async (request, reply) => {
    const caller = requireCaller(store, request);
    const params = request.params as { id: string; forked_from_id: string };
    const project = visibleProject(caller, params.id, 'see');
    const parent = visibleProject(caller, params.forked_from_id, 'see');
    if (project.forked_from_id)
      throw new GitlabError(409, { message: '409 Conflict: Project already forked' });
    if (project.id === parent.id)
      throw new GitlabError(400, { message: '400 Bad request - Project cannot be forked from itself' });
    store.prepare('UPDATE projects SET forked_from_id = ? WHERE id = ?').run(parent.id, project.id);
    return reply.status(201).send(entities.full(findProjectIn(store, String(project.id))!));
  });
}
