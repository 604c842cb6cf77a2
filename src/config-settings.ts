import { z } from 'zod';
import {
  baseUrl,
  databaseUrl,
  engineSettingShapes,
  longSecret,
  onOff,
  warmPoolSetting,
  wholeNumber,
  workspaceHostPattern,
} from './config-values.ts';

/** Every setting labgate reads, from the environment or the LABGATE_CONFIG file, as it is checked. */
export const settings = z.object({
  PUBLIC_BASE_URL: baseUrl.optional(),
  HOST: z.string().min(1).optional(),
  PORT: wholeNumber(1, 65535).optional(),
  DATA_DIR: z.string().min(1).optional(),
  LABGATE_USER: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'expected a system user name such as labgate')
    .optional(),
  DATABASE_URL: databaseUrl.optional(),
  LTI_TIMESTAMP_WINDOW_SECONDS: wholeNumber(30, 3600).optional(),
  LTI_MAX_LAUNCH_BYTES: wholeNumber(4096, 1048576).optional(),
  SESSION_TTL_HOURS: wholeNumber(1, 720).optional(),
  SIMULATOR: onOff.optional(),
  FORGE_URL: baseUrl.optional(),
  FORGE_TOKEN: z.string().min(8, 'expected a GitLab administrator personal access token').optional(),
  FORGE_USERNAMES: z.enum(['names', 'pseudonymous']).optional(),
  FORGE_GROUP: z
    .string()
    .regex(
      /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*(\/[a-zA-Z0-9_][a-zA-Z0-9_.-]*)*$/,
      'expected a GitLab group path such as labgate or teaching/labgate',
    )
    .optional(),
  EMBEDDED_FORGE: onOff.optional(),
  PROVISION_CONCURRENCY: wholeNumber(1, 64).optional(),
  WORKSPACE_IMAGE: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._/:@-]*$/,
      'expected an image name such as registry.example.org/labgate/notebook:1.0',
    )
    .optional(),
  WORKSPACE_IMAGE_BUILD: onOff.optional(),
  WORKSPACE_IMAGE_REPOSITORY: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._/-]*$/, 'expected an image name without tag, such as localhost/labgate-lab')
    .optional(),
  WORKSPACE_IMAGES_ALLOWED: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._/:@-]*(,[a-z0-9][a-z0-9._/:@-]*)*$/, 'expected image names separated by commas')
    .optional(),
  WORKSPACE_ENTRY: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/, 'expected a path segment such as lab or tree')
    .optional(),
  DOCKER_SOCKET: z
    .string()
    .startsWith('/', 'expected the absolute path of the Docker (or Podman) API socket')
    .optional(),
  WORKSPACES_ROOT: z.string().min(1).optional(),
  WORKSPACE_MEMORY_MB: wholeNumber(128, 262144).optional(),
  WORKSPACE_CPUS: wholeNumber(1, 64).optional(),
  WORKSPACE_PIDS: wholeNumber(32, 65536).optional(),
  WORKSPACE_MAX_RUNNING: wholeNumber(1, 100000).optional(),
  WORKSPACE_WARM_POOL: warmPoolSetting.optional(),
  WORKSPACE_IDLE_MINUTES: wholeNumber(1, 10080).optional(),
  WORKSPACE_IDLE_SECONDS: wholeNumber(5, 604800).optional(),
  WORKSPACE_UID: wholeNumber(0, 2147483647).optional(),
  WORKSPACE_GIT_MAX_FILE_MB: wholeNumber(1, 10240).optional(),
  WORKSPACE_DISK_MB: wholeNumber(64, 1048576).optional(),
  WORKSPACE_STORAGE: z.enum(['auto', 'image', 'folder']).optional(),
  WORKSPACE_TMP_MB: wholeNumber(16, 65536).optional(),
  WORKSPACE_TEACHER_ACCESS: onOff.optional(),
  WORKSPACE_HOST_PATTERN: workspaceHostPattern.optional(),
  GRADING_CHECK_INTERVAL_SECONDS: wholeNumber(0, 86400).optional(),
  COLLECT_MAX_MB: wholeNumber(1, 102400).optional(),
  OIDC_KEY_ROTATION_DAYS: wholeNumber(1, 3650).optional(),
  // Kept exactly as written: an issuer must match the provider's own string, trailing slash included.
  LOGIN_OIDC_ISSUER: z
    .string()
    .refine(
      (v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol),
      'expected the provider’s issuer URL',
    )
    .optional(),
  LOGIN_OIDC_CLIENT_ID: z.string().min(1).optional(),
  LOGIN_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  LOGIN_OIDC_NAME: z.string().min(1).max(80).optional(),
  PROVISION_LEASE_SECONDS: wholeNumber(2, 600).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  METRICS_TOKEN: longSecret.optional(),
  ...engineSettingShapes,
});
