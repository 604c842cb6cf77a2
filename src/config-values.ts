import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The shapes settings take, each with the sentence a person reads when a value does not fit. */
export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected a whole number from ${min} to ${max}`);

const poolEntry = /^(?:(?<image>[a-z0-9][a-z0-9._/:@-]*)=)?(?<size>\d+)$/;
/** `WORKSPACE_WARM_POOL`: `N` waiting per image, and `image=N` entries for some images, comma-separated. */
export const warmPoolSetting = z.string().transform((text, ctx) => {
  const pool = { size: 0, sizes: {} as Record<string, number> };
  for (const part of text.split(',')) {
    const m = poolEntry.exec(part.trim());
    const n = Number(m?.groups?.size);
    if (!m || n > 1000) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a number of waiting workspaces per image from 0 to 1000 (e.g. 20), optionally followed by image=number entries (e.g. 20,registry.example.org/r-notebook:1=5); "${part}" is neither`,
      });
      return z.NEVER;
    }
    if (m.groups?.image) pool.sizes[m.groups.image] = n;
    else pool.size = n;
  }
  return pool;
});

/** Whether a warm pool setting keeps any container waiting (for some image). */
export const warmPoolOn = (p: { size: number; sizes?: Record<string, number> | undefined }) =>
  p.size > 0 || Object.values(p.sizes ?? {}).some((n) => n > 0);

export const baseUrl = z
  .string()
  .refine((s) => URL.canParse(s), 'expected an absolute URL such as https://labgate.example.org')
  .transform((s) => new URL(s))
  .refine((u) => u.protocol === 'https:' || u.protocol === 'http:', 'expected an http:// or https:// URL')
  .refine(
    (u) => !u.search && !u.hash && !u.username && !u.password,
    'expected a URL without query, fragment or credentials',
  )
  .transform((u) => new URL(u.href.replace(/\/+$/, '')));

export const databaseUrl = z
  .string()
  .refine(
    (s) => /^sqlite:.+/.test(s) || /^postgres(ql)?:\/\/.+/.test(s),
    'expected sqlite:<file path> or postgres://user:password@host/database',
  );

/** A token people make up and paste in two places (labgate and its scraper): long enough not to be guessed. */
export const longSecret = z
  .string()
  .min(16, 'expected a long random string (at least 16 characters), e.g. from `openssl rand -hex 32`');

export const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((s) => ['on', 'true', '1'].includes(s));

// `{id}` alone as the leftmost label, so that each workspace is its own host (and origin).
export const workspaceHostPattern = z
  .string()
  .transform((s) => s.toLowerCase())
  .refine(
    (s) =>
      s === 'off' ||
      (/^\{id\}(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$/.test(s) &&
        Number(s.split(':')[1] ?? 1) <= 65535),
    'expected {id} as the leftmost label of a host with an optional port, such as {id}.ws.example.org or {id}.ws.localhost:8080 (or off)',
  );

/**
 * The demo on localhost puts each workspace on `<id>.ws.localhost` (Chromium and Firefox resolve
 * `*.localhost` to loopback), so that it runs as production should; `off` keeps one origin.
 */
export function workspaceHostPatternFor(
  mode: 'serve' | 'demo' | 'cli',
  publicBaseUrl: URL,
  setting: string | undefined,
) {
  if (setting === 'off') return undefined;
  if (setting || mode !== 'demo' || publicBaseUrl.hostname !== 'localhost') return setting;
  return `{id}.ws.localhost${publicBaseUrl.port ? `:${publicBaseUrl.port}` : ''}`;
}

/** A learner's workspaces: the image, the engine, limits, storage and origins. */
export interface WorkspaceSettings {
  image: string;
  /** Other images an LMS link may name (custom_image); anything else is refused. */
  allowedImages: string[];
  dockerSocket: string;
  /** Where a learner enters their Jupyter server: `lab` (JupyterLab) or `tree` (classic). */
  entry: string;
  root: string;
  memoryBytes: number;
  cpus: number;
  pids: number;
  maxRunning: number;
  /** Started workspaces kept waiting for first launches, per image (0: none). */
  warmPool: number;
  /** Another pool size for some images (`image=N` in WORKSPACE_WARM_POOL). */
  warmPoolSizes?: Record<string, number>;
  /** Quiet time after a claim before the pool refills (3 s when absent; not an environment setting). */
  warmPoolRefillMs?: number;
  idleSeconds: number;
  uid: number;
  /** Files over this size are not committed by the git buttons. */
  gitMaxFileBytes: number;
  /** What a learner's folder may hold; `storage` says how it is enforced (image: by the engine). */
  diskBytes: number;
  storage: 'auto' | 'image' | 'folder';
  /** Size of each tmpfs in a workspace (/tmp and the home folder). */
  tmpBytes: number;
  /** Teachers and TAs of a course may open its learners' workspaces. */
  teacherAccess: boolean;
  /** `{id}.ws.example.org[:port]`: each workspace on its own origin (same scheme as labgate). */
  hostPattern: string | undefined;
  /** `docker`: a container per workspace on one engine; `swarm`: a Docker Swarm service per workspace. */
  engine: 'docker' | 'swarm';
  swarm: SwarmSettings | undefined;
}

/** Workspaces as Swarm services (README, "Docker Swarm"). */
export interface SwarmSettings {
  /** The attachable overlay network workspaces join (labgate's replicas join it too). */
  network: string;
  /** `overlay`: labgate is on that network; `gwbridge`: labgate runs on the (single) node's host. */
  address: 'overlay' | 'gwbridge';
  /** Workspaces go only to nodes with this label (`docker node update --label-add name=value`). */
  nodeLabel: { name: string; value: string } | undefined;
}

export const engineSettingShapes = {
  WORKSPACE_ENGINE: z.enum(['docker', 'swarm']).optional(),
  WORKSPACE_SWARM_NETWORK: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/, 'expected a network name such as labgate-workspaces')
    .optional(),
  WORKSPACE_SWARM_ADDRESS: z.enum(['overlay', 'gwbridge']).optional(),
  WORKSPACE_NODE_LABEL: z
    .string()
    .regex(
      /^[a-zA-Z0-9][a-zA-Z0-9._-]*=[a-zA-Z0-9._-]+$/,
      'expected a node label and its value such as labgate.workspaces=yes',
    )
    .optional(),
};

/** The engine part of the workspace settings; what Swarm cannot do is refused by name. */
export function engineSlice(s: {
  WORKSPACE_ENGINE?: 'docker' | 'swarm' | undefined;
  WORKSPACE_SWARM_NETWORK?: string | undefined;
  WORKSPACE_SWARM_ADDRESS?: 'overlay' | 'gwbridge' | undefined;
  WORKSPACE_NODE_LABEL?: string | undefined;
  WORKSPACE_WARM_POOL?: { size: number; sizes: Record<string, number> } | undefined;
  WORKSPACE_STORAGE?: string | undefined;
}): Pick<WorkspaceSettings, 'engine' | 'swarm'> {
  if (s.WORKSPACE_ENGINE !== 'swarm') return { engine: 'docker', swarm: undefined };
  if (s.WORKSPACE_WARM_POOL && warmPoolOn(s.WORKSPACE_WARM_POOL))
    throw new ConfigError(
      'Setting WORKSPACE_WARM_POOL: the warm pool keeps containers on one engine; with WORKSPACE_ENGINE=swarm set it to 0.',
    );
  if (s.WORKSPACE_STORAGE === 'image')
    throw new ConfigError(
      'Setting WORKSPACE_STORAGE: with WORKSPACE_ENGINE=swarm learners’ folders are plain folders on storage every node shares (NFS, CephFS); use folder.',
    );
  const [name, value] = s.WORKSPACE_NODE_LABEL?.split('=') ?? [];
  return {
    engine: 'swarm',
    swarm: {
      network: s.WORKSPACE_SWARM_NETWORK ?? 'labgate-workspaces',
      address: s.WORKSPACE_SWARM_ADDRESS ?? 'overlay',
      nodeLabel: name && value ? { name, value } : undefined,
    },
  };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads the optional JSON file named by LABGATE_CONFIG; its keys are the same names as the environment. */
export function readConfigFile(file: string | undefined, settingNames: string[]): Record<string, string> {
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? `it is not valid JSON (${err.message})` : (err as Error).message;
    throw new ConfigError(`Setting LABGATE_CONFIG: cannot read ${file}: ${why}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(
      `Setting LABGATE_CONFIG: ${file} must hold a JSON object such as {"PORT": "8080"}.`,
    );
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!settingNames.includes(key)) {
      throw new ConfigError(
        `Setting LABGATE_CONFIG: ${file} names an unknown setting "${key}"; known: ${settingNames.join(', ')}.`,
      );
    }
    out[key] = String(value);
  }
  return out;
}

/** Where Docker and Podman put their API socket, in the order labgate asks them (rootful first). */
export const engineSockets = (xdgRuntimeDir: string | undefined) => [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/run/podman/podman.sock',
  ...(xdgRuntimeDir?.startsWith('/') ? [`${xdgRuntimeDir}/podman/podman.sock`] : []),
];
