import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.ts';
import * as foundation from './migrations/2026-11-23-001-foundation.ts';
import * as sessionHandoff from './migrations/2026-11-24-002-session-handoff.ts';
import * as provisioning from './migrations/2026-11-24-003-provisioning.ts';
import * as courseGroups from './migrations/2026-11-24-004-course-groups.ts';
import * as workspaces from './migrations/2026-11-24-005-workspaces.ts';
import * as oidcProvider from './migrations/2026-11-30-006-oidc-provider.ts';
import * as workspacePasses from './migrations/2026-12-01-007-workspace-passes.ts';
import * as workspaceLaunchRequest from './migrations/2026-12-01-008-workspace-launch-request.ts';
import * as grading from './migrations/2026-12-01-009-grading.ts';
import * as teaching from './migrations/2026-12-01-010-teaching.ts';
import * as deepLinking from './migrations/2026-12-01-011-deep-linking.ts';
import * as graderDesk from './migrations/2026-12-01-012-grader-desk.ts';
import * as workspaceOpenFile from './migrations/2026-12-01-013-workspace-open-file.ts';
import * as labgateSecrets from './migrations/2026-12-02-014-labgate-secrets.ts';
import * as assignmentOpenFile from './migrations/2026-12-02-015-assignment-open-file.ts';
import * as workspaceOpenAsked from './migrations/2026-12-02-016-workspace-open-asked.ts';

// Listed in code rather than read from a folder so that they ship inside any bundle; names sort by date.
const migrations: Record<string, Migration> = {
  '2026-11-23-001-foundation': foundation,
  '2026-11-24-002-session-handoff': sessionHandoff,
  '2026-11-24-003-provisioning': provisioning,
  '2026-11-24-004-course-groups': courseGroups,
  '2026-11-24-005-workspaces': workspaces,
  '2026-11-30-006-oidc-provider': oidcProvider,
  '2026-12-01-007-workspace-passes': workspacePasses,
  '2026-12-01-008-workspace-launch-request': workspaceLaunchRequest,
  '2026-12-01-009-grading': grading,
  '2026-12-01-010-teaching': teaching,
  '2026-12-01-011-deep-linking': deepLinking,
  '2026-12-01-012-grader-desk': graderDesk,
  '2026-12-01-013-workspace-open-file': workspaceOpenFile,
  '2026-12-02-014-labgate-secrets': labgateSecrets,
  '2026-12-02-015-assignment-open-file': assignmentOpenFile,
  '2026-12-02-016-workspace-open-asked': workspaceOpenAsked,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema to the newest version; safe to run from several replicas at once. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${(error as Error).message ?? String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations this labgate knows, oldest first (a backup's schema must be one of them). */
export const knownMigrations = (): string[] => Object.keys(migrations);

/** Brings the schema up or down to `name`: a restore fills an empty database at its backup's level. */
export async function migrateToVersion(db: Db, name: string): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${(error as Error).message ?? String(error)}`, {
      cause: error,
    });
  }
}
