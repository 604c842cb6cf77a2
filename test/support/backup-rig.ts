import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, type Db } from '../../src/db/index.ts';
import { ensureTestPostgres } from './postgres-server.ts';
import { testDbKind, type TestDbKind } from './test-database.ts';

export interface BlankDatabase {
  kind: TestDbKind;
  url: string;
  db: Db;
  close(): Promise<void>;
}

/** The PostgreSQL project's server; the SQLite project starts the same private server for cross restores. */
const adminUrl = async () =>
  testDbKind() === 'postgres' ? inject('pgAdminUrl') : await ensureTestPostgres();

async function admin(sqlText: string) {
  const client = new pg.Client({ connectionString: await adminUrl() });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/** A database with nothing in it, not even labgate's tables: where an operator restores a backup. */
export async function openBlankDatabase(kind: TestDbKind = testDbKind()): Promise<BlankDatabase> {
  if (kind === 'postgres') {
    const name = `labgate_b_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE DATABASE "${name}"`);
    const url = new URL(await adminUrl());
    url.pathname = `/${name}`;
    const db = createDatabase(url.href);
    return {
      kind,
      url: url.href,
      db,
      close: async () => {
        await db.destroy();
        await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-backup-'));
  const url = `sqlite:${path.join(dir, 'labgate.db')}`;
  const db = createDatabase(url);
  return {
    kind,
    url,
    db,
    close: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const loose = (db: Db) => db as unknown as Kysely<unknown>;

/** labgate's tables (Kysely's own aside), by name. */
export async function tableNames(db: Db): Promise<string[]> {
  return (await db.introspection.getTables())
    .filter((t) => !t.isView)
    .map((t) => t.name)
    .sort();
}

/** Every row of every table, each table's rows in a stable order: what a restore must give back. */
export async function everyRow(db: Db): Promise<Record<string, unknown[]>> {
  const all: Record<string, unknown[]> = {};
  for (const name of await tableNames(db)) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(loose(db));
    const keyed = rows
      .map((r) => normalised(r))
      .map((r) => ({ r, key: JSON.stringify(Object.entries(r).sort()) }));
    all[name] = keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((k) => k.r);
  }
  return all;
}

/** Buffers as base64 so that deep equality compares their bytes; everything else as read. */
const normalised = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? `bytes:${v.toString('base64')}` : v]),
  );

export async function rowCount(db: Db): Promise<number> {
  return Object.values(await everyRow(db)).reduce((n, rows) => n + rows.length, 0);
}

/** Per column type: the hard values (a full-precision timestamp, a float that is not decimal, JSON text, NULL). */
const hardValues: Array<[RegExp, (row: number, nullable: boolean) => unknown]> = [
  [
    /^text$/i,
    (row, nullable) =>
      row === 1 && nullable ? null : `v${row} «é» 🎓 "q" \\ {"a":[1,2.5,null],"b":true}\n<b>x</b>\t`,
  ],
  [/^(bigint|int8)$/i, (row, nullable) => (row === 1 ? (nullable ? null : -42) : 1_767_225_600_123)],
  [/^(integer|int4|int)$/i, (row, nullable) => (row === 1 ? (nullable ? null : -7) : 2_147_483_647)],
  [
    /^(double precision|float8|real)$/i,
    (row, nullable) => (row === 1 ? (nullable ? null : 1e-300) : 0.1 + 0.2),
  ],
];

/**
 * Two rows in every labgate table: one with hard values in every column, one with NULL wherever a NULL
 * is allowed. Text columns share the row's value, so foreign keys (users, courses) point at real rows.
 */
export async function fillEveryTable(db: Db): Promise<void> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView);
  const parentsFirst = ['users', 'courses'];
  tables.sort((a, b) => rank(a.name) - rank(b.name));
  function rank(name: string) {
    const i = parentsFirst.indexOf(name);
    return i === -1 ? parentsFirst.length : i;
  }
  for (const t of tables) {
    const key = await primaryKeyOnSqlite(db, t.name);
    for (const row of [0, 1]) {
      const values = t.columns.map((c) => {
        const maker = hardValues.find(([type]) => type.test(c.dataType));
        if (!maker)
          throw new Error(`fillEveryTable knows no values for ${t.name}.${c.name} (${c.dataType}): add them`);
        return maker[1](row, c.isNullable && !key.includes(c.name));
      });
      const columns = sql.join(t.columns.map((c) => sql.id(c.name)));
      await sql`insert into ${sql.table(t.name)} (${columns}) values (${sql.join(values)})`.execute(
        loose(db),
      );
    }
  }
}

/** SQLite calls a text primary key nullable (a legacy quirk); PostgreSQL already says NOT NULL. */
async function primaryKeyOnSqlite(db: Db, table: string): Promise<string[]> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return [];
  const { rows } = await sql<{
    name: string;
  }>`select name from pragma_table_info(${table}) where pk > 0`.execute(loose(db));
  return rows.map((r) => r.name);
}

/** A table with an auto-numbered id and bytes: labgate has none today; a restore must still carry them. */
export async function createProbeTable(db: Db, kind: TestDbKind) {
  const ddl =
    kind === 'postgres'
      ? sql`create table backup_probe (id serial primary key, data bytea, note text)`
      : sql`create table backup_probe (id integer primary key autoincrement, data blob, note text)`;
  await ddl.execute(loose(db));
}

export async function addProbeRow(db: Db, data: Buffer | null, note: string): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    insert into backup_probe (data, note) values (${data}, ${note}) returning id`.execute(loose(db));
  return Number(rows[0]!.id);
}
