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
import { findOpenFile } from './open-file.ts';
import { bootInSlot, createStartSlots } from './start-slots.ts';
import { phaseDurations, startTimeline, type LaunchTimeline, type TimelineClock } from './launch-timeline.ts';

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
    /** Workspaces booting at once (container to Jupyter answering); the others wait their turn. */
    startConcurrency?: number;
  };
  log?: { info(o: object, msg: string): void };
}

export const workspacePath = (id: string) => `/user/${id}/`;

/** The event every workspace change is also announced on (`subscribeAll`). */
const anyWorkspace = Symbol('any workspace');

type Person = { name: string; email: string };

export interface LaunchRequest {
  userId: string;
  courseId: string;
  assignment: string;
  provisioningId: string;
  person: { name: string; email: string };
  /** An image the LMS link asked for (`custom_image`); refused unless allowed. */
  image?: string;
  /** The file the LMS link asks to open (`custom_open`), when the learner's folder has it. */
  open?: string;
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
  // The newest launch's timeline per workspace, for a quarter of an hour or until the next launch.
  const clocks = new Map<string, TimelineClock>();
  // Stops under way: a launch waits for them, so it never enters (or restarts) a container being stopped.
  const stopping = new Map<string, Promise<void>>();

  const tokens = createForgeTokens(deps.forge);
  const slots = createStartSlots(deps.settings.startConcurrency ?? 4);

  const announce = (ws: Workspace | undefined) => {
    if (!ws) return;
    events.emit(ws.id, ws);
    events.emit(anyWorkspace, ws);
  };
  const set = async (id: string, change: Parameters<WorkspaceStore['update']>[1]) => {
    const ws = await deps.workspaces.update(id, change);
    announce(ws);
    return ws;
  };

  /**
   * The fork into the learner's folder, by git in their (just started) container, with a one-off token;
   * then the file they land in, found in the same session.
   */
  async function clone(
    ws: Workspace,
    fork: NonNullable<Provisioning['state']['fork']>,
    person: Person,
    open: string | undefined,
  ) {
    const token = tokens.perOperation();
    // The token is minted while the session opens (git asks for it at once); revoked whatever happens.
    void token.get(fork.id).catch(() => {});
    const session = await deps.sandbox
      .open({ userId: ws.userId, assignment: ws.assignment, image: deps.settings.image, network: true })
      .catch(async (err: unknown) => {
        await token.revoke();
        throw err;
      });
    try {
      const url = session.forgeUrl(fork.httpUrl);
      await cloneInto(
        { folder: session, author: person },
        { url, branch: fork.defaultBranch, token: () => token.get(fork.id) },
        url,
      );
      return await findOpenFile(session, open);
    } finally {
      await Promise.all([session.close(), token.revoke()]);
    }
  }

  /** Stops waiting on `p` without leaving its failure unhandled (it is awaited again where it matters). */
  const quiet = <T>(p: Promise<T>) => (p.catch(() => {}), p);

  async function run(ws: Workspace, o: LaunchRequest, image: string, clock: TimelineClock) {
    const spec = {
      userId: ws.userId,
      assignment: ws.assignment,
      image,
      baseUrl: workspacePath(ws.id),
      token: ws.token,
      limits: deps.settings.limits,
    };
    // The container and its Jupyter server start while the forge makes the fork; the clone follows the fork.
    const forked = quiet(clock.time('fork', () => provisioned(deps, ws.provisioningId)));
    // Booting (container to Jupyter answering, the CPU-heavy part) waits for a free slot.
    const boot = bootInSlot(
      slots,
      () => clock.time('container', () => deps.spawner.start(spec)),
      () => clock.time('server', () => deps.spawner.waitReady(spec)),
    );
    const started = quiet(boot.started);
    const answering = quiet(boot.answering);
    try {
      // An engine that refuses (no image, no room) fails the launch at once, not after the fork.
      const job = await Promise.race([forked, started.then(() => forked)]);
      if (job.status === 'failed' || !job.state.fork) {
        await started.then(() => deps.spawner.remove(ws.userId, ws.assignment)).catch(() => {});
        throw new Error(job.error?.message ?? 'the fork could not be made');
      }
      await set(ws.id, { status: 'starting', step: 'container' });
      await started;
      await set(ws.id, { status: 'starting', step: 'clone' });
      const fork = job.state.fork;
      const [openPath, running] = await Promise.all([
        clock.time('clone', () => clone(ws, fork, o.person, o.open)),
        answering,
      ]);
      await deps.workspaces.touch(ws.id);
      clock.ready();
      const timeline = clock.snapshot();
      deps.log?.info(
        { workspace: ws.id, readyMs: timeline.readyMs, phases: phaseDurations(timeline) },
        'workspace launch timeline',
      );
      await set(ws.id, {
        status: 'running',
        step: 'ready',
        target: running.target,
        openPath: openPath ?? null,
      });
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
      const clock = startTimeline();
      clocks.set(id, clock);
      setTimeout(() => clocks.get(id) === clock && clocks.delete(id), 15 * 60_000).unref();
      const task = run(starting, o, wanted, clock).finally(() => underWay.delete(id));
      underWay.set(id, task);
      return starting;
    },
    subscribe(id: string, listener: (ws: Workspace) => void) {
      events.on(id, listener);
      return () => void events.off(id, listener);
    },
    /** Every change of every workspace made in this process (the proxy forgets what it kept of it). */
    subscribeAll(listener: (ws: Workspace) => void) {
      events.on(anyWorkspace, listener);
      return () => void events.off(anyWorkspace, listener);
    },
    /** "Reset my environment": a fresh container from the image; the learner's files stay. */
    async reset(o: LaunchRequest) {
      await deps.spawner.remove(o.userId, o.assignment);
      await set(workspaceFolder(o.userId, o.assignment), { status: 'stopped', target: null });
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
          announce(await deps.workspaces.find(ws.id));
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
    /** Where the newest launch's time went, while its progress page may show it. */
    timelineOf: (id: string): LaunchTimeline | undefined => clocks.get(id)?.snapshot(),
    /** The learner's first page through the proxy after a launch: the timeline's last phase, logged. */
    noteEntered(id: string) {
      const clock = clocks.get(id);
      if (!clock?.entered()) return;
      const timeline = clock.snapshot();
      deps.log?.info({ workspace: id, phases: phaseDurations(timeline) }, 'workspace first page');
    },
    /** Resolves when the launch under way for `id` (if any) has ended; for tests and shutdown. */
    settled: async (id: string) => underWay.get(id),
  };
  return api;
}

export type WorkspaceLauncher = ReturnType<typeof createWorkspaceLauncher>;
