import { sql, type Kysely } from 'kysely';
import { appliedMigrations, countRows, dbKind, listTables, type CatalogTable } from './backup-catalog.ts';
import { backupErrors } from './backup-errors.ts';
import {
  backupFormatName,
  backupFormatVersion,
  encodeValue,
  UnsupportedValueError,
  type BackupManifest,
} from './backup-format.ts';
import type { Db } from './database.ts';

export interface BackupProgress {
  done: number;
  total: number;
}

export interface DumpOptions {
  labgateVersion: string;
  now?: () => number;
  /** Receives each record in order: the manifest, then per table its header line and rows. */
  emit: (record: unknown) => Promise<void>;
  onProgress?: (p: BackupProgress) => void;
  pageRows?: number;
}

/**
 * Reads every table in one snapshot, so the rows agree with each other however long it takes while
 * labgate keeps serving: a read transaction on SQLite (WAL), REPEATABLE READ READ ONLY on PostgreSQL.
 */
export async function dumpDatabase(
  db: Db,
  o: DumpOptions,
): Promise<{ manifest: BackupManifest; rows: number }> {
  const handle = db as unknown as Kysely<unknown>;
  const builder =
    dbKind(handle) === 'postgres'
      ? handle.transaction().setIsolationLevel('repeatable read').setAccessMode('read only')
      : handle.transaction();
  return builder.execute(async (trx) => {
    const migrations = await appliedMigrations(trx);
    if (migrations.length === 0) throw backupErrors.noSchema();
    const tables = await listTables(trx);
    const counts = new Map<string, number>();
    for (const t of tables) counts.set(t.name, await countRows(trx, t.name));
    const manifest: BackupManifest = {
      format: backupFormatName,
      formatVersion: backupFormatVersion,
      labgateVersion: o.labgateVersion,
      createdAt: new Date((o.now ?? Date.now)()).toISOString(),
      database: dbKind(handle),
      schema: migrations.at(-1)!,
      migrations,
      tables: tables.map((t) => ({ name: t.name, columns: t.columns, rows: counts.get(t.name)! })),
    };
    await o.emit(manifest);
    const progress = { done: 0, total: [...counts.values()].reduce((a, b) => a + b, 0) };
    o.onProgress?.({ ...progress });
    for (const t of tables) {
      await o.emit({ table: t.name });
      const written = await dumpTable(trx, t, o, () => {
        progress.done++;
        if (progress.done % 500 === 0) o.onProgress?.({ ...progress });
      });
      // Within one snapshot the pages add up to the count; anything else would be a broken backup.
      if (written !== counts.get(t.name))
        throw new Error(
          `table ${t.name} changed while it was read (${written} rows, counted ${counts.get(t.name)})`,
        );
    }
    o.onProgress?.({ ...progress });
    return { manifest, rows: progress.done };
  });
}

/** Pages after the last primary key read (an index seek each); a table without one pages by offset. */
async function dumpTable(trx: Kysely<unknown>, t: CatalogTable, o: DumpOptions, onRow: () => void) {
  const page = o.pageRows ?? 1000;
  const key = t.primaryKey.map((c) => sql.id(c));
  const columns = sql.join(t.columns.map((c) => sql.id(c)));
  const order = sql.join(key.length > 0 ? key : t.columns.map((c) => sql.id(c)));
  let written = 0;
  let after: unknown[] | undefined;
  for (;;) {
    const from =
      key.length === 0
        ? sql`order by ${order} limit ${page} offset ${written}`
        : after
          ? sql`where (${sql.join(key)}) > (${sql.join(after)}) order by ${order} limit ${page}`
          : sql`order by ${order} limit ${page}`;
    const { rows } = await sql<
      Record<string, unknown>
    >`select ${columns} from ${sql.table(t.name)} ${from}`.execute(trx);
    for (const row of rows) {
      await o.emit(t.columns.map((c) => encoded(row[c], t.name, c)));
      onRow();
    }
    written += rows.length;
    if (rows.length < page) return written;
    after = t.primaryKey.map((c) => rows.at(-1)![c]);
  }
}

function encoded(value: unknown, table: string, column: string): unknown {
  try {
    return encodeValue(value);
  } catch (err) {
    if (err instanceof UnsupportedValueError) throw backupErrors.unsupportedValue(table, column, err.kind);
    throw err;
  }
}
