import { EventEmitter } from 'node:events';
import { isAppError } from '../errors.ts';
import type { Forge, Provisioner } from '../forge/index.ts';
import {
  workspaceFolder,
  type Sandbox,
  type Spawner,
  type Workspace,
  type WorkspaceStore,
} from '../workspaces/index.ts';
import { createForgeTokens } from './forge-tokens.ts';
import { cloneFork, forkOf, provisioned, refusedImage, type Locked } from './launch-steps.ts';
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
    /** How long the clone's sandbox session, opened while the fork is made, waits for it (1 min). */
    forkWaitMs?: number;
  };
  log?: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
  /**
   * Held by the replica running a workspace's launch, for as long as it runs (PostgreSQL advisory
   * lock: it dies with a killed replica). Absent: this process's own launches only (one server).
   */
  launchLock?: Locked;
  /** The workspace's git lock, shared with the git buttons: the clone waits for them and they for it. */
  exclusive?: Locked;
}

export const workspacePath = (id: string) => `/user/${id}/`;

/** The event every workspace change is also announced on (`subscribeAll`). */
const anyWorkspace = Symbol('any workspace');

export interface LaunchRequest {
  userId: string;
  courseId: string;
  assignment: string;
  provisioningId: string;
  person: { name: string; email: string };
  /** An image the LMS link asked for (`custom_image`); refused unless allowed. */
  image?: string;
  /** Files to open, first found first: the LMS link's (`custom_open`), then the assignment's. */
  open?: Array<string | undefined>;
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
    // The container boots while the forge makes the fork; the clone's session opens once it runs.
    const fork = quiet(clock.time('fork', () => forkOf(provisioned(deps.provisioner, ws.provisioningId))));
    // Booting (container to Jupyter answering, the CPU-heavy part) waits for a free slot.
    const boot = bootInSlot(
      slots,
      () => clock.time('container', () => deps.spawner.start(spec)),
      () => clock.time('server', () => deps.spawner.waitReady(spec)),
    );
    const started = quiet(boot.started);
    const answering = quiet(boot.answering);
    const cloned = quiet(
      started.then(() =>
        cloneFork(
          { ...deps, image: deps.settings.image, forkWaitMs: deps.settings.forkWaitMs },
          tokens,
          ws,
          fork,
          o.person,
          o.open ?? [],
          (work) => clock.time('clone', work),
        ),
      ),
    );
    try {
      // An engine that refuses fails the launch at once; a fork that fails takes the container along.
      const forkOrRemoved = quiet(
        fork.catch(async (err: unknown) => {
          await started.then(() => deps.spawner.remove(ws.userId, ws.assignment)).catch(() => {});
          throw err;
        }),
      );
      await Promise.race([forkOrRemoved, started.then(() => forkOrRemoved)]);
      await set(ws.id, { status: 'starting', step: 'container' });
      await started;
      await set(ws.id, { status: 'starting', step: 'clone' });
      const [openPath, running] = await Promise.all([cloned, answering]);
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

  const ownLock: Locked = async (_id, work) => ({ ran: true, value: await work() });

  /**
   * The launch, run under the workspace's launch lock: resolves with the row marked starting (before
   * answering, so the progress page never sees a previous run's state); with the row as it is when
   * `still(row)` says it needs none any more; undefined when another replica holds the lock (it runs it).
   */
  function begin(id: string, o: LaunchRequest, image: string, still: (ws: Workspace) => boolean) {
    let marked!: (ws: Workspace | undefined) => void;
    const answer = new Promise<Workspace | undefined>((resolve) => (marked = resolve));
    const work = async () => {
      const now = await deps.workspaces.find(id);
      if (!now || !still(now)) return marked(now);
      const starting = await set(id, {
        status: 'starting',
        step: 'forge',
        error: null,
        target: null,
        request: { image, person: o.person, open: o.open ?? [] },
      });
      const clock = startTimeline();
      clocks.set(id, clock);
      setTimeout(() => clocks.get(id) === clock && clocks.delete(id), 15 * 60_000).unref();
      marked(starting);
      await run(starting, o, image, clock);
    };
    const task = (deps.launchLock ?? ownLock)(id, work)
      .then((held) => {
        if (!held.ran) marked(undefined);
      })
      .catch(async (err: unknown) => {
        deps.log?.warn({ err, workspace: id }, 'workspace launch could not begin');
        const error = 'labgate could not start your workspace. Open the activity again in a moment.';
        marked(await set(id, { status: 'failed', error }).catch(() => undefined));
      })
      .finally(() => underWay.delete(id));
    underWay.set(id, task);
    return answer;
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
      const refused = refusedImage(deps.settings, image);
      if (refused) return set(id, { status: 'failed', error: refused });
      if (ws.status === 'running' && (await deps.spawner.isRunning(o.userId, o.assignment))) {
        if (await deps.spawner.hasStorage(o.userId, o.assignment)) return ws;
        // The folder vanished under a running container: start over from the fork rather than serve nothing.
        await deps.spawner.remove(o.userId, o.assignment);
      }
      // A launch under way (here, or on a replica) is counted already.
      if (ws.status !== 'starting' && (await deps.workspaces.countRunning()) >= deps.settings.maxRunning) {
        return set(id, {
          status: 'failed',
          error: `All ${deps.settings.maxRunning} workspaces of this server are in use. Try again in a few minutes: idle ones are stopped after a while.`,
        });
      }
      // Another replica may have finished this launch meanwhile: then it is left as it is.
      const begun = await begin(id, o, image ?? deps.settings.image, (now) => {
        return now.status !== 'running' || ws.status === 'running';
      });
      return begun ?? (await deps.workspaces.find(id))!;
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
     * Launches a stopped or killed labgate (even `kill -9`, even another replica) left unfinished start
     * again here, as they were asked; their progress pages pick them up. A launch whose lock a live
     * replica holds is its own. Called at start, then every few seconds.
     */
    async resumeInterrupted() {
      for (const ws of await deps.workspaces.interrupted()) {
        if (underWay.has(ws.id) || stopping.has(ws.id)) continue;
        const refused = refusedImage(deps.settings, ws.image);
        if (refused) {
          await set(ws.id, { status: 'failed', error: refused });
          continue;
        }
        const request = {
          userId: ws.userId,
          courseId: ws.courseId,
          assignment: ws.assignment,
          provisioningId: ws.provisioningId,
          person: ws.person ?? { name: ws.userId, email: '' },
          open: ws.openAsked,
        };
        await begin(ws.id, request, ws.image ?? deps.settings.image, (now) => now.status === 'starting');
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
