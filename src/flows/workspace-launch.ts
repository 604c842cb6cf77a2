import { EventEmitter } from 'node:events';
import { isAppError } from '../errors.ts';
import type { Forge, Provisioner, Provisioning } from '../forge/index.ts';
import { cloneInto } from '../gitops/index.ts';
import {
  workspaceFolder,
  type Sandbox,
  type Spawner,
  type Workspace,
  type WorkspaceStore,
} from '../workspaces/index.ts';
import { createForgeTokens } from './forge-tokens.ts';

export interface WorkspaceLaunchDeps {
  forge: Pick<Forge, 'mintRepoToken' | 'revokeRepoToken' | 'findProject'>;
  provisioner: Pick<Provisioner, 'get' | 'subscribe'>;
  spawner: Spawner;
  sandbox: Sandbox;
  workspaces: WorkspaceStore;
  settings: {
    image: string;
    /** Images an LMS link may ask for with `custom_image`, besides the default one. */
    allowedImages: string[];
    limits: { memoryBytes: number; cpus: number; pids: number };
    maxRunning: number;
  };
}

export const workspacePath = (id: string) => `/user/${id}/`;

type Person = { name: string; email: string };

export interface LaunchRequest {
  userId: string;
  courseId: string;
  assignment: string;
  provisioningId: string;
  person: { name: string; email: string };
  /** An image the LMS link asked for (`custom_image`); refused unless allowed. */
  image?: string;
}

/** Waits for the learner's provisioning job to end (the fork exists, or it failed). */
function provisioned(deps: WorkspaceLaunchDeps, id: string): Promise<Provisioning> {
  return new Promise((resolve) => {
    const done = (job: Provisioning | undefined) => {
      if (job && (job.status === 'done' || job.status === 'failed')) {
        off();
        clearInterval(poll);
        resolve(job);
      }
    };
    const off = deps.provisioner.subscribe(id, done);
    // Another replica may be the one working on it: read the database too.
    const poll = setInterval(() => void deps.provisioner.get(id).then(done), 1_000);
    void deps.provisioner.get(id).then(done);
  });
}

/**
 * A learner's launch into their workspace: fork ready → cloned into their folder → container started
 * → Jupyter answering. Each change is written to the workspace row and announced for the progress page.
 */
export function createWorkspaceLauncher(deps: WorkspaceLaunchDeps) {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const underWay = new Map<string, Promise<void>>();
  // Stops under way: a launch waits for them, so it never enters (or restarts) a container being stopped.
  const stopping = new Map<string, Promise<void>>();

  const tokens = createForgeTokens(deps.forge);

  const set = async (id: string, change: Parameters<WorkspaceStore['update']>[1]) => {
    const ws = await deps.workspaces.update(id, change);
    events.emit(id, ws);
    return ws;
  };

  /** The fork into the learner's folder, by git in their (just started) container, with a one-off token. */
  async function clone(ws: Workspace, fork: NonNullable<Provisioning['state']['fork']>, person: Person) {
    const session = await deps.sandbox.open({
      userId: ws.userId,
      assignment: ws.assignment,
      image: deps.settings.image,
      network: true,
    });
    const token = tokens.perOperation();
    try {
      const url = session.forgeUrl(fork.httpUrl);
      await cloneInto(
        { folder: session, author: person },
        { url, branch: fork.defaultBranch, token: () => token.get(fork.id) },
        url,
      );
    } finally {
      await Promise.all([session.close(), token.revoke()]);
    }
  }

  async function run(ws: Workspace, person: Person, image: string) {
    try {
      const job = await provisioned(deps, ws.provisioningId);
      if (job.status === 'failed' || !job.state.fork)
        throw new Error(job.error?.message ?? 'the fork could not be made');
      await set(ws.id, { status: 'starting', step: 'container' });
      const spec = {
        userId: ws.userId,
        assignment: ws.assignment,
        image,
        baseUrl: workspacePath(ws.id),
        token: ws.token,
        limits: deps.settings.limits,
      };
      await deps.spawner.start(spec);
      await set(ws.id, { status: 'starting', step: 'clone' });
      // Jupyter starts while the repository is copied in; the learner enters once both are done.
      const [, running] = await Promise.all([
        clone(ws, job.state.fork, person),
        deps.spawner.waitReady(spec),
      ]);
      await deps.workspaces.touch(ws.id);
      await set(ws.id, { status: 'running', step: 'ready', target: running.target });
    } catch (err) {
      const message = isAppError(err)
        ? `${err.message}${err.hint ? ` ${err.hint}` : ''}`
        : (err as Error).message;
      await set(ws.id, { status: 'failed', error: message });
    }
  }

  const api = {
    /**
     * Starts (or finds) the learner's workspace. A running one is returned as it is; otherwise the
     * launch runs in the background and its progress is announced. At most one launch per workspace.
     */
    async launch(o: LaunchRequest): Promise<Workspace> {
      const id = workspaceFolder(o.userId, o.assignment);
      await stopping.get(id);
      const { image, ...identity } = o;
      const ws = await deps.workspaces.ensure({ id, ...identity });
      if (underWay.has(id)) return ws;
      if (image && image !== deps.settings.image && !deps.settings.allowedImages.includes(image)) {
        return set(id, {
          status: 'failed',
          error: `The course link asks for the environment "${image}", which this server does not allow. Your teacher should fix the link (allowed: ${[deps.settings.image, ...deps.settings.allowedImages].join(', ')}).`,
        });
      }
      if (ws.status === 'running' && (await deps.spawner.isRunning(o.userId, o.assignment))) {
        if (await deps.spawner.hasStorage(o.userId, o.assignment)) return ws;
        // The folder vanished under a running container: start over from the fork rather than serve nothing.
        await deps.spawner.remove(o.userId, o.assignment);
      }
      if ((await deps.workspaces.countRunning()) >= deps.settings.maxRunning) {
        return set(id, {
          status: 'failed',
          error: `All ${deps.settings.maxRunning} workspaces of this server are in use. Try again in a few minutes: idle ones are stopped after a while.`,
        });
      }
      // Marked before answering, so the progress page never sees the stale state of a previous run.
      const wanted = image ?? deps.settings.image;
      const starting = await set(id, {
        status: 'starting',
        step: 'forge',
        error: null,
        target: null,
        request: { image: wanted, person: o.person },
      });
      const task = run(starting, o.person, wanted).finally(() => underWay.delete(id));
      underWay.set(id, task);
      return starting;
    },
    subscribe(id: string, listener: (ws: Workspace) => void) {
      events.on(id, listener);
      return () => void events.off(id, listener);
    },
    /** "Reset my environment": a fresh container from the image; the learner's files stay. */
    async reset(o: LaunchRequest) {
      await deps.spawner.remove(o.userId, o.assignment);
      await deps.workspaces.update(workspaceFolder(o.userId, o.assignment), {
        status: 'stopped',
        target: null,
      });
      return api.launch(o);
    },
    /**
     * Stops the workspaces idle since `cutoff`; the learner's files stay and the next launch starts
     * them again. A workspace being launched, or used again since the list was read, is left running.
     */
    async cullIdle(cutoff: number) {
      for (const ws of await deps.workspaces.idleSince(cutoff)) {
        if (underWay.has(ws.id) || stopping.has(ws.id)) continue;
        const task = (async () => {
          if (!(await deps.workspaces.markStoppedIfIdle(ws.id, cutoff))) return;
          events.emit(ws.id, await deps.workspaces.find(ws.id));
          await deps.spawner.stop(ws.userId, ws.assignment);
        })().finally(() => stopping.delete(ws.id));
        stopping.set(ws.id, task);
        await task;
      }
    },
    /**
     * Launches that a stop of labgate (even `kill -9`) interrupted start again, as they were asked;
     * their progress pages pick them up. Called once at start.
     */
    async resumeInterrupted() {
      for (const ws of await deps.workspaces.interrupted()) {
        if (underWay.has(ws.id)) continue;
        const person = ws.person ?? { name: ws.userId, email: '' };
        await set(ws.id, { status: 'stopped', step: 'forge', target: null });
        await api.launch({
          userId: ws.userId,
          courseId: ws.courseId,
          assignment: ws.assignment,
          provisioningId: ws.provisioningId,
          person,
          ...(ws.image && ws.image !== deps.settings.image ? { image: ws.image } : {}),
        });
      }
    },
    /** Resolves when the launch under way for `id` (if any) has ended; for tests and shutdown. */
    settled: async (id: string) => underWay.get(id),
  };
  return api;
}

export type WorkspaceLauncher = ReturnType<typeof createWorkspaceLauncher>;
