import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDbKind, type TestDatabase } from './test-database.ts';

const consumer = (consumer_key: string, created_at: number) => ({
  consumer_key,
  name: `Consumer ${consumer_key}`,
  secret: 's3cret',
  previous_secret: null,
  previous_secret_expires_at: null,
  allowed_origin: 'https://lms.example.org',
  created_at,
});

describe(`openTestDatabase (${testDbKind()})`, () => {
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    first = await openTestDatabase();
    second = await openTestDatabase();
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('is the kind the vitest project selects', () => {
    const expected = process.env.LABGATE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
    expect(first.kind).toBe(expected);
    expect(first.url.startsWith(expected === 'postgres' ? 'postgres://' : 'sqlite:')).toBe(true);
  });

  it('is migrated: a consumer row goes in and comes back with created_at as a number', async () => {
    const row = consumer('key-1', 1763856000123);
    await first.db.insertInto('lti_consumers').values(row).execute();
    const back = await first.db
      .selectFrom('lti_consumers')
      .selectAll()
      .where('consumer_key', '=', 'key-1')
      .executeTakeFirstOrThrow();
    expect(back).toEqual(row);
    expect(typeof back.created_at).toBe('number');
  });

  it('gives each caller a database of its own', async () => {
    expect(second.url).not.toBe(first.url);
    await second.db.insertInto('lti_consumers').values(consumer('key-2', 1)).execute();
    const keys = async (t: TestDatabase) =>
      (await t.db.selectFrom('lti_consumers').select('consumer_key').execute()).map((r) => r.consumer_key);
    expect(await keys(first)).toEqual(['key-1']);
    expect(await keys(second)).toEqual(['key-2']);
  });

  it.runIf(testDbKind() === 'postgres')(
    'survives PostgreSQL dropping its idle connections (a restart or failover), answering the next query',
    async () => {
      await first.db.selectFrom('lti_consumers').select('consumer_key').execute();
      const name = new URL(first.url).pathname.slice(1);
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name} AND pid <> pg_backend_pid()`.execute(
        second.db,
      );
      await new Promise((r) => setTimeout(r, 200));
      const rows = await first.db.selectFrom('lti_consumers').select('consumer_key').execute();
      expect(rows.map((r) => r.consumer_key)).toEqual(['key-1']);
    },
  );

  it('close() throws the database away', async () => {
    const third = await openTestDatabase();
    await third.close();
    if (third.kind === 'sqlite') {
      expect(existsSync(third.url.slice('sqlite:'.length))).toBe(false);
    } else {
      const name = new URL(third.url).pathname.slice(1);
      const found = await sql<{
        n: number;
      }>`select count(*)::int as n from pg_database where datname = ${name}`.execute(first.db);
      expect(found.rows[0]?.n).toBe(0);
    }
  });
});
