import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpDatabase } from '../../src/db/backup-dump.ts';
import { createDatabase, migrateToLatest, restoreDatabase, writeBackupFile } from '../../src/db/index.ts';
import { knownMigrations, migrateToVersion } from '../../src/db/migrate.ts';
import { everyRow, fillEveryTable, openBlankDatabase, type BlankDatabase } from '../support/backup-rig.ts';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database.ts';

const here = testDbKind();
const other = here === 'postgres' ? 'sqlite' : 'postgres';
const opened: Array<{ close(): Promise<void> }> = [];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'labgate-backup-across-'));
});
afterAll(async () => {
  for (const d of opened) await d.close();
  rmSync(dir, { recursive: true, force: true });
});

async function track<T extends BlankDatabase | TestDatabase>(d: Promise<T>): Promise<T> {
  const got = await d;
  opened.push(got);
  return got;
}

describe(`a backup moves between SQLite and PostgreSQL (${other} → ${here})`, () => {
  it(`restores a ${other} backup into ${here} with every value of every table intact`, async () => {
    const from = await track(openBlankDatabase(other));
    await migrateToLatest(from.db);
    await fillEveryTable(from.db);
    const file = path.join(dir, `from-${other}.jsonl.gz`);
    const made = await writeBackupFile(from.db, file, { labgateVersion: 'test', pageRows: 1 });
    expect(made.manifest.database).toBe(other);

    const to = await track(openBlankDatabase(here));
    const restored = await restoreDatabase(to.db, file);
    expect(restored.rows).toBe(made.rows);
    expect(await everyRow(to.db)).toEqual(await everyRow(from.db));
  });
});

describe('a backup from an older labgate', () => {
  it('goes in at its own schema level, even into an empty database migrated further, then is brought up to date', async () => {
    const [older, newest] = knownMigrations().slice(-2);
    const from = await track(openBlankDatabase(here));
    await migrateToVersion(from.db, older!);
    await from.db
      .insertInto('users')
      .values({
        id: 'u-old',
        display_name: 'Ada',
        email: null,
        created_at: 1,
        updated_at: 2,
        disabled_at: null,
      })
      .execute();
    const file = path.join(dir, 'older.jsonl.gz');
    expect((await writeBackupFile(from.db, file, { labgateVersion: 'old' })).manifest.schema).toBe(older);

    const to = await track(openTestDatabase()); // empty, at the newest schema
    const restored = await restoreDatabase(to.db, file);
    expect(restored.migratedSince).toEqual([newest]);
    expect(await to.db.selectFrom('users').selectAll().execute()).toEqual([
      { id: 'u-old', display_name: 'Ada', email: null, created_at: 1, updated_at: 2, disabled_at: null },
    ]);
  });
});

describe('a backup is one snapshot', () => {
  let source: TestDatabase;
  let writer: ReturnType<typeof createDatabase>;

  beforeAll(async () => {
    source = await track(openTestDatabase());
    await fillEveryTable(source.db);
    writer = createDatabase(source.url);
    opened.push({ close: () => writer.destroy() });
  });

  it('leaves out what is written while it runs, and its rows agree with its counts', async () => {
    const before = await everyRow(source.db);
    const records: unknown[] = [];
    const { manifest } = await dumpDatabase(source.db, {
      labgateVersion: 'test',
      pageRows: 1,
      emit: async (record) => {
        records.push(record);
        // Once the backup has started, another connection (a running labgate) changes data.
        if (records.length === 2) {
          await writer
            .insertInto('users')
            .values({
              id: 'late-user',
              display_name: 'Late',
              email: null,
              created_at: 1,
              updated_at: 1,
              disabled_at: null,
            })
            .execute();
          await writer.deleteFrom('workspaces').execute();
        }
      },
    });
    const rowsOf = (table: string) => {
      const at = records.findIndex((r) => (r as { table?: string }).table === table);
      const count = manifest.tables.find((t) => t.name === table)!.rows;
      return records.slice(at + 1, at + 1 + count) as unknown[][];
    };
    expect(rowsOf('workspaces')).toHaveLength(before.workspaces!.length);
    expect(rowsOf('users')).toHaveLength(before.users!.length);
    expect(rowsOf('users').flat()).not.toContain('late-user');
    expect(await writer.selectFrom('workspaces').selectAll().execute()).toEqual([]);
  });
});
