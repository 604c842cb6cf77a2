export { createDatabase, isUniqueViolation, sqliteFiles, type Db } from './database.ts';
export { migrateToLatest } from './migrate.ts';
export { createJobLocks, type Held, type JobLocks, type RunOnce } from './job-lock.ts';
export { holdSqliteServerLock, sqliteServerLockFiles } from './sqlite-server-lock.ts';
export { pingDatabase } from './database-ping.ts';
export type * from './schema.ts';
export { writeBackupFile, type WrittenBackup } from './backup-file.ts';
export { restoreDatabase, type RestoreProgress, type RestoreSummary } from './backup-restore.ts';
