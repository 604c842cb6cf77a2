import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { DbKind } from './backup-format.ts';

/** Any Kysely handle, a transaction included: the catalog reads tables by name, not by row type. */
type Handle = Kysely<unknown>;

export interface CatalogTable {
  name: string;
  columns: string[];
  primaryKey: string[];
}

export const migrationTable = 'kysely_migration';

export const dbKind = (db: Handle): DbKind =>
  db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';

/** labgate's tables (not Kysely's own), parents before the tables whose foreign keys point at them. */
export async function listTables(db: Handle): Promise<CatalogTable[]> {
  const kind = dbKind(db);
  const schema =
    kind === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s
      : undefined;
  const found = (await db.introspection.getTables()).filter(
    (t) => !t.isView && (schema === undefined || t.schema === schema),
  );
  const tables: CatalogTable[] = [];
  for (const t of found)
    tables.push({
      name: t.name,
      columns: t.columns.map((c) => c.name),
      primaryKey: await primaryKey(db, t.name),
    });
  return parentsFirst(tables, await foreignKeys(db));
}

async function primaryKey(db: Handle, table: string): Promise<string[]> {
  const rows =
    dbKind(db) === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from pragma_table_info(${table}) where pk > 0 order by pk`.execute(db)
      : await sql<{ name: string }>`
          select a.attname as name from pg_index i
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = quote_ident(${table})::regclass and i.indisprimary
          order by array_position(i.indkey, a.attnum)`.execute(db);
  return rows.rows.map((r) => r.name);
}

async function foreignKeys(db: Handle): Promise<Array<{ from: string; to: string }>> {
  const rows =
    dbKind(db) === 'sqlite'
      ? await sql<{ from: string; to: string }>`
          select m.name as "from", f."table" as "to" from sqlite_master m, pragma_foreign_key_list(m.name) f
          where m.type = 'table'`.execute(db)
      : await sql<{ from: string; to: string }>`
          select c.relname as "from", r.relname as "to" from pg_constraint k
          join pg_class c on c.oid = k.conrelid join pg_class r on r.oid = k.confrelid
          join pg_namespace n on n.oid = c.relnamespace
          where k.contype = 'f' and n.nspname = current_schema()`.execute(db);
  return rows.rows;
}

/** Kahn's order by name: restoring in this order never inserts a row before the one it references. */
function parentsFirst(tables: CatalogTable[], keys: Array<{ from: string; to: string }>): CatalogTable[] {
  const names = new Set(tables.map((t) => t.name));
  const parents = new Map(tables.map((t) => [t.name, new Set<string>()]));
  for (const k of keys) if (k.from !== k.to && names.has(k.to)) parents.get(k.from)?.add(k.to);
  const done: CatalogTable[] = [];
  let left = [...tables].sort((a, b) => a.name.localeCompare(b.name));
  while (left.length > 0) {
    const placed = new Set(done.map((t) => t.name));
    const ready = left.filter((t) => [...parents.get(t.name)!].every((p) => placed.has(p)));
    // A cycle of foreign keys (none in labgate's schema): keep going rather than loop forever.
    const next = ready.length > 0 ? ready : left.slice(0, 1);
    done.push(...next);
    left = left.filter((t) => !next.includes(t));
  }
  return done;
}

/** The migrations applied to the database, oldest first; none when it was never migrated. */
export async function appliedMigrations(db: Handle): Promise<string[]> {
  const exists = (await db.introspection.getTables({ withInternalKyselyTables: true })).some(
    (t) => t.name === migrationTable,
  );
  if (!exists) return [];
  const rows = await sql<{
    name: string;
  }>`select name from ${sql.table(migrationTable)} order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

export async function countRows(db: Handle, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
    db,
  );
  return Number(rows[0]!.n);
}

/** Row counts of the tables that hold any, for refusing to restore over data. */
export async function nonEmptyTables(db: Handle, tables: string[]) {
  const counted: Array<{ name: string; rows: number }> = [];
  for (const name of tables) {
    const n = await countRows(db, name);
    if (n > 0) counted.push({ name, rows: n });
  }
  return counted;
}

/** PostgreSQL: serial and identity sequences set past the restored ids (SQLite keeps its own). */
export async function resetSequences(db: Handle): Promise<void> {
  if (dbKind(db) !== 'postgres') return;
  const { rows } = await sql<{ tbl: string; col: string; seq: string }>`
    select c.relname as tbl, a.attname as col,
      pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname) as seq
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.relkind = 'r' and n.nspname = current_schema()
      and pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname) is not null`.execute(
    db,
  );
  for (const r of rows)
    await sql`select setval(${r.seq}, coalesce((select max(${sql.id(r.col)}) from ${sql.table(r.tbl)}), 0) + 1, false)`.execute(
      db,
    );
}
