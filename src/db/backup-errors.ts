import { AppError } from '../errors.ts';

const fail = (what: string, status: number, message: string, hint: string) =>
  new AppError({ code: `BACKUP_${what}`, status, message, hint });

const NOTHING_WRITTEN = 'Nothing was written to the database.';

/** Why a backup could not be written or restored, for the operator running `labgate backup|restore`. */
export const backupErrors = {
  notABackup: (file: string, why: string) =>
    fail(
      'NOT_A_BACKUP',
      400,
      `${file} is not a labgate backup (${why}).`,
      `Give the file \`labgate backup --out FILE\` wrote. ${NOTHING_WRITTEN}`,
    ),
  noSchema: () =>
    fail(
      'NO_SCHEMA',
      409,
      'The database has no labgate tables: there is nothing to back up.',
      'Check DATABASE_URL (or DATA_DIR): it should name the database labgate runs on.',
    ),
  corrupt: (file: string, why: string) =>
    fail(
      'CORRUPT',
      400,
      `${file} is damaged or incomplete: ${why}.`,
      `Restore from another copy of the backup (or make a new one). ${NOTHING_WRITTEN}`,
    ),
  newerFormat: (file: string, version: number) =>
    fail(
      'NEWER_FORMAT',
      400,
      `${file} uses backup format ${version}, which this labgate does not know.`,
      `Restore it with the labgate version that made it, or a newer one. ${NOTHING_WRITTEN}`,
    ),
  newerSchema: (o: { file: string; schema: string; known: string; labgateVersion: string }) =>
    fail(
      'NEWER_SCHEMA',
      400,
      `${o.file} comes from a newer labgate (${o.labgateVersion}, database schema ${o.schema}); this labgate knows the schema up to ${o.known}.`,
      `Upgrade labgate to ${o.labgateVersion} or later, then restore. ${NOTHING_WRITTEN}`,
    ),
  databaseNewer: (schema: string) =>
    fail(
      'DATABASE_NEWER',
      409,
      `The database has schema ${schema}, which this labgate does not know: a newer labgate made it.`,
      `Restore into a new, empty database, or use that newer labgate. ${NOTHING_WRITTEN}`,
    ),
  notEmpty: (tables: Array<{ name: string; rows: number }>) =>
    fail(
      'NOT_EMPTY',
      409,
      `The database already holds data (${tables
        .slice(0, 5)
        .map((t) => `${t.name}: ${t.rows} row${t.rows === 1 ? '' : 's'}`)
        .join(', ')}${tables.length > 5 ? ', …' : ''}); labgate restores only into an empty database.`,
      `Point DATABASE_URL at a new database (a new SQLite file, or a PostgreSQL database made with createdb) and do not start labgate on it before the restore. ${NOTHING_WRITTEN}`,
    ),
  tableMismatch: (table: string, why: string) =>
    fail(
      'TABLE_MISMATCH',
      409,
      `Table ${table} of the backup does not fit the database at the backup's schema: ${why}.`,
      `Restore into a new, empty database with the labgate version that made the backup. ${NOTHING_WRITTEN}`,
    ),
  unsupportedValue: (table: string, column: string, kind: string) =>
    fail(
      'UNSUPPORTED_VALUE',
      500,
      `Column ${table}.${column} holds a value of a kind the backup format does not carry (${kind}).`,
      'This is a labgate bug (a column type the backup does not know): report it; no backup file was left behind.',
    ),
};
