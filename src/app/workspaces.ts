import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Config } from '../config.ts';
import { warmPoolOn } from '../config-values.ts';
import type { Forge, Provisioner } from '../forge/index.ts';
import {
  createWorkspaceGit,
  createWorkspaceLauncher,
  type WorkspaceGit,
  type WorkspaceGitDeps,
  type WorkspaceLaunchDeps,
} from '../flows/index.ts';
import { createTemplateMirror } from '../gitops/index.ts';
import { waitingForImage } from './workspace-image.ts';
import {
  canMakeDiskImages,
  connectEngine,
  createDockerSandbox,
  createScratchSandboxes,
  createDockerSpawner,
  createSwarmSandbox,
  createSwarmSpawner,
  createForgeRelay,
  createWarmPools,
  createWorkspaceNetworks,
  createWorkspaceStorage,
  type StorageKind,
  type WorkspaceStore,
} from '../workspaces/index.ts';

type WorkspaceSettings = NonNullable<Config['workspaces']>;

const isLoopback = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

/**
 * The workspaces' parts on one container engine: storage, networks, the relay to a loopback forge,
 * the spawner, the learners' sandboxes, the template mirror, and the launch and git flows on them.
 */
export async function buildWorkspaces(o: {
  settings: WorkspaceSettings;
  dataDir: string;
  forge: Forge;
  forgeUrl: string;
  provisioner: Provisioner;
  workspaces: WorkspaceStore;
  log: { warn(o: object, msg: string): void; info(o: object, msg: string): void };
  /** Check my answer, when grading is wired. */
  check?: WorkspaceGitDeps['check'];
  /** The demo's image while it is built: launches wait for it instead of failing. */
  imageReady?: () => Promise<unknown>;
  /** The address Open in GitLab gives for a forge page (through labgate, signed in as the learner). */
  openLink?: (webUrl: string) => string;
  /** The git buttons' lock on a workspace, across replicas. */
  exclusive?: WorkspaceGitDeps['exclusive'];
  /** The lock a replica holds while it runs a workspace's launch. */
  launchLock?: WorkspaceLaunchDeps['launchLock'];
  /** Every so often, launches a killed replica left are taken over (absent: only at start). */
  adoptEveryMs?: number;
  /** The images open assignments name: pooled from the start, then looked at again `everyMs`. */
  wantedImages?: { list: () => Promise<string[]>; everyMs?: number };
}) {
  const ws = o.settings;
  const engine = connectEngine(ws.dockerSocket);
  // A hard limit where the engine mounts file system images (Podman); otherwise measured by labgate.
  const kind: StorageKind =
    ws.storage !== 'auto'
      ? ws.storage
      : (await engine.kind().catch(() => 'docker')) === 'podman' && canMakeDiskImages()
        ? 'image'
        : 'folder';
  o.log.info({ storage: kind, root: ws.root }, 'workspace storage');
  const storage = createWorkspaceStorage(engine, {
    kind,
    root: ws.root,
    diskBytes: ws.diskBytes,
    uid: ws.uid,
  });
  const networks = createWorkspaceNetworks(engine);
  // Told at start, not first to a learner; the answer also serves the first launch (README, "Workspace networks").
  networks.checkIsolation().catch((err: unknown) => {
    if ((err as { code?: string }).code === 'WORKSPACE_ENGINE_UNSAFE')
      o.log.warn({ err }, 'workspaces refused: this engine would not keep them apart');
  });
  const relay = isLoopback(o.forgeUrl)
    ? createForgeRelay({ port: Number(new URL(o.forgeUrl).port || 80), log: o.log })
    : undefined;
  const parts = { engine, storage, networks, ...(relay ? { relay } : {}) };
  const limits = { memoryBytes: ws.memoryBytes, cpus: ws.cpus, pids: ws.pids };
  const pool = warmPoolOn({ size: ws.warmPool, sizes: ws.warmPoolSizes })
    ? createWarmPools({
        ...parts,
        uid: ws.uid,
        tmpBytes: ws.tmpBytes,
        size: ws.warmPool,
        ...(ws.warmPoolSizes ? { sizes: ws.warmPoolSizes } : {}),
        image: ws.image,
        allowedImages: ws.allowedImages,
        limits,
        log: o.log,
        ...(ws.warmPoolRefillMs !== undefined ? { refillDelayMs: ws.warmPoolRefillMs } : {}),
      })
    : undefined;
  const spawnerOptions = {
    ...parts,
    ...(pool ? { pool } : {}),
    workspaceUid: ws.uid,
    tmpBytes: ws.tmpBytes,
    readyTimeoutMs: 120_000,
  };
  const sandboxOptions = {
    ...parts,
    uid: ws.uid,
    tmpBytes: Math.min(ws.tmpBytes, 64 * 1024 * 1024),
    limits: { memoryBytes: Math.min(ws.memoryBytes, 1024 ** 3), cpus: 1, pids: 256 },
    sessionSeconds: 600,
  };
  // WORKSPACE_ENGINE=swarm: a service per workspace (README, "Docker Swarm"); the rest stays on this engine.
  const spawner = ws.swarm
    ? createSwarmSpawner({ ...spawnerOptions, ...ws.swarm })
    : createDockerSpawner(spawnerOptions);
  const sandbox = ws.swarm
    ? createSwarmSandbox({ ...sandboxOptions, address: ws.swarm.address })
    : createDockerSandbox(sandboxOptions);
  // labgate's own git work on forks (template checks and merges): scratch folders, never a learner's.
  const scratch = createScratchSandboxes({
    ...parts,
    uid: ws.uid,
    tmpBytes: Math.min(ws.tmpBytes, 64 * 1024 * 1024),
    limits: { memoryBytes: Math.min(ws.memoryBytes, 512 * 1024 ** 2), cpus: 1, pids: 256 },
    sessionSeconds: 3600,
  });
  const templates = createTemplateMirror({ dir: path.join(o.dataDir, 'templates') });
  const launcher = createWorkspaceLauncher({
    forge: o.forge,
    provisioner: o.provisioner,
    spawner: o.imageReady ? waitingForImage(spawner, o.imageReady) : spawner,
    sandbox,
    workspaces: o.workspaces,
    log: o.log,
    ...(o.launchLock ? { launchLock: o.launchLock } : {}),
    ...(o.exclusive ? { exclusive: o.exclusive } : {}),
    settings: {
      image: ws.image,
      allowedImages: ws.allowedImages,
      limits,
      maxRunning: ws.maxRunning,
      // Two Jupyter servers booting per core: measured with bench:launch (README, "Launch speed").
      // A claimed pool server costs a third of a cold boot: four per core then (README, "Launch speed").
      startConcurrency: (pool ? 4 : 2) * availableParallelism(),
    },
  });
  const git = createWorkspaceGit({
    forge: o.forge,
    provisioner: o.provisioner,
    sandbox,
    templates,
    settings: { image: ws.image, maxFileBytes: ws.gitMaxFileBytes, diskLimitBytes: ws.diskBytes },
    ...(o.check ? { check: o.check } : {}),
    ...(o.exclusive ? { exclusive: o.exclusive } : {}),
  });
  // Launches a stop of labgate (or a killed replica) interrupted go on, in the background.
  const adopt = () =>
    void launcher
      .resumeInterrupted()
      .catch((err: unknown) => o.log.warn({ err }, 'resuming launches failed'));
  adopt();
  const adopting = o.adoptEveryMs ? setInterval(adopt, o.adoptEveryMs).unref() : undefined;
  // The pools follow open assignments' images: read before the first fill, so that it keeps their
  // waiting containers, then every so often, when pools no longer wanted close (README, "The warm pool").
  const wanted = o.wantedImages;
  const followAssignments = async (retire: boolean) => {
    if (!pool || !wanted) return;
    try {
      const images = await wanted.list();
      pool.want(images);
      if (retire) await pool.retire(images);
    } catch (err) {
      o.log.warn({ err }, 'the warm pools could not follow the images of open assignments');
    }
  };
  // The warm pool fills once the image is there (the demo builds it first).
  if (pool)
    void Promise.resolve(o.imageReady?.()).then(
      async () => {
        await followAssignments(false);
        await pool.fill();
      },
      () => {},
    );
  const wanting =
    pool && wanted?.everyMs
      ? setInterval(() => void followAssignments(true), wanted.everyMs).unref()
      : undefined;
  return {
    spawner,
    sandbox,
    scratch,
    templates,
    launcher,
    git: o.openLink ? openingThrough(git, o.openLink) : git,
    /** The pool's containers stay for the next start (it finds them); only refilling stops. */
    close: async () => {
      clearInterval(adopting);
      clearInterval(wanting);
      await pool?.close();
      await relay?.close();
    },
    pool,
  };
}

/** Open in GitLab's answer (`{url}` of a forge page) made into `link(url)`; the other operations as they are. */
function openingThrough(git: WorkspaceGit, link: (webUrl: string) => string): WorkspaceGit {
  return {
    ...git,
    async run(...args: Parameters<WorkspaceGit['run']>) {
      const out = await git.run(...args);
      const url = args[1] === 'open' && (out as { url?: unknown } | undefined)?.url;
      return typeof url === 'string' ? { ...(out as object), url: link(url) } : out;
    },
  };
}
