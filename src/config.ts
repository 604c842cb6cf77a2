import path from 'node:path';
import {
  ConfigError,
  readConfigFile,
  workspaceHostPatternFor,
  engineSockets,
  engineSlice,
  type WorkspaceSettings,
} from './config-values.ts';
import { settings } from './config-settings.ts';

/** How labgate was started: demo fills in embedded defaults, serve insists on a real public URL. */
export { ConfigError, type WorkspaceSettings };

export type RunMode = 'serve' | 'demo' | 'cli';

export interface Config {
  mode: RunMode;
  /** The user `serve` and `demo` switch to when started as root (LABGATE_USER); `root` stays root. */
  runAs: { user: string };
  http: { host: string; port: number; publicBaseUrl: URL };
  db: { url: string };
  dataDir: string;
  oidc: OidcSettings;
  lti: { timestampWindowSeconds: number; maxLaunchBytes: number };
  session: { ttlSeconds: number };
  simulator: { enabled: boolean };
  log: { level: string };
  /** `/metrics` is off (404) without a token; with one, scrapers send it as `Authorization: Bearer`. */
  metrics: { token: string | undefined };
  /** Absent when no GitLab is configured: launches then sign in without provisioning. */
  forge: { url: string; token: string; group: string } | undefined;
  /** FORGE_USERNAMES: new GitLab accounts named after people, or pseudonymous (no name nor e-mail sent). */
  forgeUsernames: 'names' | 'pseudonymous';
  /** Run gitlab-lite in-process as the forge, with the demo template (the trial's default). */
  embeddedForge: boolean;
  provisioning: { concurrency: number; leaseSeconds: number };
  /** Where submissions are graded: the engine, the default image and the uid learner code runs as. */
  grading: {
    dockerSocket: string;
    image: string | undefined;
    uid: number;
    checkIntervalSeconds: number;
    /** The most one learner's submitted files may take when collected (CLI `collect`, the roster's download). */
    collectMaxBytes: number;
  };
  /** Absent unless WORKSPACE_IMAGE is set (or the demo built its image): launches then end in JupyterLab. */
  workspaces: WorkspaceSettings | undefined;
  /** Where labgate looks for a container engine (DOCKER_SOCKET, else the usual sockets), and names what it builds. */
  imageBuild: { sockets: string[]; explicit: boolean; repository: string };
  /** The demo without WORKSPACE_IMAGE: workspaces as these settings once an engine answers and its image is built. */
  workspaceSetup: Omit<WorkspaceSettings, 'image' | 'dockerSocket'> | undefined;
}

export type OidcSettings = {
  keyRotationDays: number;
  keyKeepDays: number;
  /** The operator's identity provider for direct login (skipping the LMS), if any. */
  upstream: { issuer: string; clientId: string; clientSecret: string; name: string } | undefined;
};

const settingNames = Object.keys(settings.shape);

/** Environment wins over the file; empty environment values count as unset. */
function collect(env: NodeJS.ProcessEnv): Record<string, string> {
  const merged = readConfigFile(env.LABGATE_CONFIG, settingNames);
  for (const name of settingNames) {
    const value = env[name];
    if (value !== undefined && value !== '') merged[name] = value;
  }
  return merged;
}

export function loadConfig(mode: RunMode, env: NodeJS.ProcessEnv = process.env): Config {
  const raw = collect(env);
  const result = settings.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0]);
    // Secrets are never echoed: the message may land in a log or a CI transcript.
    const shown = /TOKEN|SECRET|PASSWORD|DATABASE_URL/.test(name) ? '(hidden)' : `"${raw[name] ?? ''}"`;
    throw new ConfigError(`Setting ${name}: ${issue.message}, got ${shown}.`);
  }
  const s = result.data;
  const port = s.PORT ?? 8080;
  if (mode === 'serve' && !s.PUBLIC_BASE_URL) {
    throw new ConfigError(
      'Setting PUBLIC_BASE_URL: required by `labgate serve`; set it to the URL learners and LMSs reach, e.g. https://labgate.example.org.',
    );
  }
  if (Boolean(s.FORGE_URL) !== Boolean(s.FORGE_TOKEN)) {
    throw new ConfigError(
      `Setting ${s.FORGE_URL ? 'FORGE_TOKEN' : 'FORGE_URL'}: FORGE_URL and FORGE_TOKEN go together (the GitLab URL and an administrator token with the api scope).`,
    );
  }
  if (s.LOGIN_OIDC_ISSUER && !(s.LOGIN_OIDC_CLIENT_ID && s.LOGIN_OIDC_CLIENT_SECRET)) {
    throw new ConfigError(
      'Setting LOGIN_OIDC_ISSUER: direct login also needs LOGIN_OIDC_CLIENT_ID and LOGIN_OIDC_CLIENT_SECRET (the client labgate is at that provider).',
    );
  }
  if (s.WORKSPACE_IMAGE && !s.FORGE_URL && !(s.EMBEDDED_FORGE ?? mode === 'demo')) {
    throw new ConfigError(
      'Setting WORKSPACE_IMAGE: workspaces need a forge to clone from; set FORGE_URL and FORGE_TOKEN (or run the demo with its embedded forge).',
    );
  }
  const publicBaseUrl = s.PUBLIC_BASE_URL ?? new URL(`http://localhost:${port}`);
  const hostPattern = workspaceHostPatternFor(mode, publicBaseUrl, s.WORKSPACE_HOST_PATTERN);
  if ((s.WORKSPACE_IMAGE || mode === 'demo') && s.WORKSPACE_TEACHER_ACCESS && !hostPattern) {
    throw new ConfigError(
      'Setting WORKSPACE_TEACHER_ACCESS: teachers may open learners’ workspaces only when each workspace has its own origin, or a learner’s notebook would run with the teacher’s labgate session; set WORKSPACE_HOST_PATTERN, e.g. {id}.ws.example.org.',
    );
  }
  const allowedImages = s.WORKSPACE_IMAGES_ALLOWED?.split(',') ?? [];
  for (const image of Object.keys(s.WORKSPACE_WARM_POOL?.sizes ?? {}))
    if (image !== s.WORKSPACE_IMAGE && !allowedImages.includes(image))
      throw new ConfigError(
        `Setting WORKSPACE_WARM_POOL: "${image}" is neither WORKSPACE_IMAGE nor one of WORKSPACE_IMAGES_ALLOWED, so no launch would use its pool; add it to WORKSPACE_IMAGES_ALLOWED or fix its name.`,
      );
  const dataDir = path.resolve(s.DATA_DIR ?? '.labgate');
  const embedded = !s.FORGE_URL && (s.EMBEDDED_FORGE ?? mode === 'demo');
  const workspaceSlice = {
    allowedImages,
    entry: s.WORKSPACE_ENTRY ?? 'lab',
    // Beside the data folder, never in it: learners' files are not labgate's secrets' neighbours.
    root: path.resolve(s.WORKSPACES_ROOT ?? `${dataDir}-workspaces`),
    memoryBytes: (s.WORKSPACE_MEMORY_MB ?? 1024) * 1024 * 1024,
    cpus: s.WORKSPACE_CPUS ?? 1,
    pids: s.WORKSPACE_PIDS ?? 512,
    maxRunning: s.WORKSPACE_MAX_RUNNING ?? 50,
    warmPool: s.WORKSPACE_WARM_POOL?.size ?? 0,
    ...(s.WORKSPACE_WARM_POOL && Object.keys(s.WORKSPACE_WARM_POOL.sizes).length
      ? { warmPoolSizes: s.WORKSPACE_WARM_POOL.sizes }
      : {}),
    idleSeconds: s.WORKSPACE_IDLE_SECONDS ?? (s.WORKSPACE_IDLE_MINUTES ?? 30) * 60,
    uid: s.WORKSPACE_UID ?? 1000,
    gitMaxFileBytes: (s.WORKSPACE_GIT_MAX_FILE_MB ?? 20) * 1024 * 1024,
    diskBytes: (s.WORKSPACE_DISK_MB ?? 1024) * 1024 * 1024,
    storage: s.WORKSPACE_STORAGE ?? 'auto',
    tmpBytes: (s.WORKSPACE_TMP_MB ?? 256) * 1024 * 1024,
    teacherAccess: s.WORKSPACE_TEACHER_ACCESS ?? false,
    hostPattern,
    ...engineSlice(s),
  };
  return {
    mode,
    runAs: { user: s.LABGATE_USER ?? 'labgate' },
    http: {
      host: s.HOST ?? (mode === 'serve' ? '0.0.0.0' : '127.0.0.1'),
      port,
      publicBaseUrl,
    },
    db: { url: s.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'labgate.db')}` },
    dataDir,
    lti: {
      timestampWindowSeconds: s.LTI_TIMESTAMP_WINDOW_SECONDS ?? 300,
      maxLaunchBytes: s.LTI_MAX_LAUNCH_BYTES ?? 65536,
    },
    session: { ttlSeconds: (s.SESSION_TTL_HOURS ?? 12) * 3600 },
    simulator: { enabled: s.SIMULATOR ?? mode === 'demo' },
    log: { level: s.LOG_LEVEL ?? 'info' },
    metrics: { token: s.METRICS_TOKEN },
    forge: s.FORGE_URL
      ? { url: s.FORGE_URL.href.replace(/\/$/, ''), token: s.FORGE_TOKEN!, group: s.FORGE_GROUP ?? 'labgate' }
      : undefined,
    forgeUsernames: s.FORGE_USERNAMES ?? 'names',
    embeddedForge: embedded,
    workspaces: s.WORKSPACE_IMAGE
      ? {
          ...workspaceSlice,
          image: s.WORKSPACE_IMAGE,
          dockerSocket: s.DOCKER_SOCKET ?? '/var/run/docker.sock',
        }
      : undefined,
    imageBuild: {
      sockets: s.DOCKER_SOCKET ? [s.DOCKER_SOCKET] : engineSockets(env.XDG_RUNTIME_DIR),
      explicit: Boolean(s.DOCKER_SOCKET),
      repository: s.WORKSPACE_IMAGE_REPOSITORY ?? 'localhost/labgate-lab',
    },
    // Only `npm start`: a server for real users runs the image its operator names.
    workspaceSetup:
      mode === 'demo' && !s.WORKSPACE_IMAGE && (s.WORKSPACE_IMAGE_BUILD ?? true) && (s.FORGE_URL || embedded)
        ? workspaceSlice
        : undefined,
    oidc: {
      // The newest key signs; the one before stays published a further 30 days for caches and tokens.
      keyRotationDays: s.OIDC_KEY_ROTATION_DAYS ?? 90,
      keyKeepDays: (s.OIDC_KEY_ROTATION_DAYS ?? 90) + 30,
      upstream: s.LOGIN_OIDC_ISSUER
        ? {
            issuer: s.LOGIN_OIDC_ISSUER,
            clientId: s.LOGIN_OIDC_CLIENT_ID!,
            clientSecret: s.LOGIN_OIDC_CLIENT_SECRET!,
            name: s.LOGIN_OIDC_NAME ?? new URL(s.LOGIN_OIDC_ISSUER).hostname,
          }
        : undefined,
    },
    grading: {
      dockerSocket: s.DOCKER_SOCKET ?? '/var/run/docker.sock',
      image: s.WORKSPACE_IMAGE,
      uid: s.WORKSPACE_UID ?? 1000,
      checkIntervalSeconds: s.GRADING_CHECK_INTERVAL_SECONDS ?? 60,
      collectMaxBytes: (s.COLLECT_MAX_MB ?? 200) * 1024 * 1024,
    },
    provisioning: {
      concurrency: s.PROVISION_CONCURRENCY ?? 8,
      leaseSeconds: s.PROVISION_LEASE_SECONDS ?? 30,
    },
  };
}

/** The demo's configuration once its engine answers and its image is there: workspaces on, grading on that image. */
export function withWorkspaceImage(config: Config, image: string, dockerSocket: string): Config {
  if (!config.workspaceSetup) return config;
  return {
    ...config,
    workspaces: { ...config.workspaceSetup, image, dockerSocket },
    grading: { ...config.grading, image, dockerSocket },
  };
}

/** The environment a child process inherits, plus `extra`: the one way code outside config.ts passes it on. */
export const inheritedEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  ...extra,
});
