import { sql, type Kysely } from 'kysely';
import { appliedMigrations, dbKind, listTables, nonEmptyTables, resetSequences } from './backup-catalog.ts';
import { backupErrors } from './backup-errors.ts';
import type { BackupManifest, BackupTable } from './backup-format.ts';
import { openBackup, type OpenedBackup } from './backup-read.ts';
import type { Db } from './database.ts';
import { knownMigrations, migrateToLatest, migrateToVersion } from './migrate.ts';

export interface RestoreProgress {
  phase: 'checking' | 'restoring';
  done: number;
  total: number;
}

export interface RestoreSummary {
  manifest: BackupManifest;
  rows: number;
  /** Migrations run after the rows went in, from the backup's schema to this labgate's newest. */
  migratedSince: string[];
}

/** Bound parameters per INSERT, well under SQLite's 32,766 and PostgreSQL's 65,535. */
const cellsPerInsert = 2000;

/**
 * Loads a backup into an empty database: the whole file is checked first (nothing is written for a
 * damaged one), the schema is brought to the backup's level, then every row goes in one transaction.
 */
export async function restoreDatabase(
  db: Db,
  file: string,
  o: { onProgress?: (p: RestoreProgress) => void } = {},
): Promise<RestoreSummary> {
  const handle = db as unknown as Kysely<unknown>;
  const backup = await openBackup(file);
  const { manifest } = backup;
  const known = knownMigrations();
  if (manifest.migrations.some((m) => !known.includes(m)))
    throw backupErrors.newerSchema({
      file,
      schema: manifest.schema,
      known: known.at(-1)!,
      labgateVersion: manifest.labgateVersion,
    });
  const total = manifest.tables.reduce((n, t) => n + t.rows, 0);
  await readAll(backup, dbKind(handle), (done) => o.onProgress?.({ phase: 'checking', done, total }));

  const applied = await appliedMigrations(handle);
  if (applied.some((m) => !known.includes(m))) throw backupErrors.databaseNewer(applied.at(-1)!);
  const holding = await nonEmptyTables(
    handle,
    (await listTables(handle)).map((t) => t.name),
  );
  if (holding.length > 0) throw backupErrors.notEmpty(holding);
  await migrateToVersion(db, manifest.schema);
  await checkTables(handle, manifest);

  await handle.transaction().execute(async (trx) => {
    // Checked again inside the transaction: a labgate started meanwhile may have made its keys.
    const meanwhile = await nonEmptyTables(
      trx,
      manifest.tables.map((t) => t.name),
    );
    if (meanwhile.length > 0) throw backupErrors.notEmpty(meanwhile);
    await insertAll(trx, backup, (done) => o.onProgress?.({ phase: 'restoring', done, total }));
    await resetSequences(trx);
  });
  const migratedSince = await migrateToLatest(db);
  return { manifest, rows: total, migratedSince };
}

async function readAll(backup: OpenedBackup, kind: ReturnType<typeof dbKind>, progress: (n: number) => void) {
  let done = 0;
  for await (const r of backup.records(kind)) if (r.kind === 'row' && ++done % 1000 === 0) progress(done);
  progress(done);
}

/** Each table of the backup exists here with the same columns (order aside: SQLite ↔ PostgreSQL). */
async function checkTables(db: Kysely<unknown>, manifest: BackupManifest) {
  const here = new Map((await listTables(db)).map((t) => [t.name, t.columns]));
  for (const t of manifest.tables) {
    const columns = here.get(t.name);
    if (!columns) throw backupErrors.tableMismatch(t.name, 'this database has no such table');
    const missing = t.columns.filter((c) => !columns.includes(c));
    const extra = columns.filter((c) => !t.columns.includes(c));
    if (missing.length > 0 || extra.length > 0)
      throw backupErrors.tableMismatch(
        t.name,
        [
          missing.length ? `columns ${missing.join(', ')} are not here` : '',
          extra.length ? `columns ${extra.join(', ')} are not in the backup` : '',
        ]
          .filter(Boolean)
          .join('; '),
      );
  }
}

async function insertAll(trx: Kysely<unknown>, backup: OpenedBackup, progress: (n: number) => void) {
  let table: BackupTable | undefined;
  let batch: unknown[][] = [];
  let done = 0;
  const flush = async () => {
    if (table && batch.length > 0) await insertRows(trx, table, batch);
    done += batch.length;
    batch = [];
    progress(done);
  };
  for await (const r of backup.records(dbKind(trx))) {
    if (r.kind === 'table') {
      await flush();
      table = r.table;
      continue;
    }
    batch.push(r.values);
    if ((batch.length + 1) * r.table.columns.length > cellsPerInsert) await flush();
  }
  await flush();
}

async function insertRows(trx: Kysely<unknown>, table: BackupTable, rows: unknown[][]) {
  const columns = sql.join(table.columns.map((c) => sql.id(c)));
  const values = sql.join(rows.map((row) => sql`(${sql.join(row)})`));
  await sql`insert into ${sql.table(table.name)} (${columns}) values ${values}`.execute(trx);
}
