import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, migrateToLatest, type Db } from '../../src/db/index.ts';

export type TestDbKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  kind: TestDbKind;
  url: string;
  db: Db;
  close(): Promise<void>;
}

/** The database kind of the running vitest project: SQLite unless LABGATE_TEST_DB=postgres. */
export function testDbKind(): TestDbKind {
  return process.env.LABGATE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

function pgAdminUrl(): string {
  const url = inject('pgAdminUrl');
  if (!url)
    throw new Error('No pgAdminUrl: run the postgres tests through vitest.config.ts (its global setup).');
  return url;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Opens and migrates; on failure the half-made database is thrown away before rethrowing. */
async function migrated(kind: TestDbKind, url: string, dispose: () => Promise<void>): Promise<TestDatabase> {
  const db = createDatabase(url);
  const close = async () => {
    await db.destroy();
    await dispose();
  };
  try {
    await migrateToLatest(db);
  } catch (err) {
    await close();
    throw err;
  }
  return { kind, url, db, close };
}

/** A fresh, migrated database of its own: a temp SQLite file or a new PostgreSQL database. */
export async function openTestDatabase(): Promise<TestDatabase> {
  if (testDbKind() === 'postgres') {
    const name = `labgate_t_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const url = new URL(pgAdminUrl());
    url.pathname = `/${name}`;
    return migrated('postgres', url.href, () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-test-'));
  const dispose = async () => rmSync(dir, { recursive: true, force: true });
  return migrated('sqlite', `sqlite:${path.join(dir, 'labgate.db')}`, dispose);
}
