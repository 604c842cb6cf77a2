import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, migrateToLatest, type Db } from '../../src/db/index.ts';

export type TestDbKind = 'sqlite' | 'postgres';

/** The database kind of the running vitest project: SQLite unless LABGATE_TEST_DB=postgres. */
export const testDbKind = (): TestDbKind =>
  process.env.LABGATE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  kind: TestDbKind;
  url: string;
  db: Db;
  close(): Promise<void>;
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of its own for one suite: a temp SQLite file or a new PostgreSQL database. */
export async function openTestDatabase(): Promise<TestDatabase> {
  if (testDbKind() === 'postgres') {
    const name = `labgate_t_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = new URL(inject('pgAdminUrl'));
    url.pathname = `/${name}`;
    const db = createDatabase(url.href);
    await migrateToLatest(db);
    return {
      kind: 'postgres',
      url: url.href,
      db,
      close: async () => {
        await db.destroy();
        await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-test-'));
  const url = `sqlite:${path.join(dir, 'labgate.db')}`;
  const db = createDatabase(url);
  await migrateToLatest(db);
  return {
    kind: 'sqlite',
    url,
    db,
    close: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
