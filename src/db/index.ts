export { createDatabase, isUniqueViolation, sqliteFiles, type Db } from './database.ts';
export { migrateToLatest } from './migrate.ts';
export type * from './schema.ts';
