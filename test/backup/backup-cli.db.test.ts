import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdSqliteServerLock } from '../../src/db/index.ts';
import { knownMigrations } from '../../src/db/migrate.ts';
import {
  addProbeRow,
  createProbeTable,
  everyRow,
  fillEveryTable,
  openBlankDatabase,
  rowCount,
  tableNames,
  type BlankDatabase,
} from '../support/backup-rig.ts';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/test-database.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/labgate.js');
let source: TestDatabase;
let dir: string;
let backupFile: string;
let made: Awaited<ReturnType<typeof labgate>>;
const targets: BlankDatabase[] = [];

async function labgate(args: string[], databaseUrl: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function blank() {
  const target = await openBlankDatabase();
  targets.push(target);
  return target;
}

const lines = (file: string) =>
  gunzipSync(readFileSync(file))
    .toString('utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);

/** A copy of the backup edited by `edit`, with a checksum that matches it (unless `keepEnd`). */
function edited(name: string, edit: (body: unknown[]) => unknown[], o: { keepEnd?: boolean } = {}) {
  const all = lines(backupFile);
  const body = edit(all.slice(0, -1));
  const text = body.map((l) => `${JSON.stringify(l)}\n`).join('');
  const end = o.keepEnd
    ? all.at(-1)
    : {
        end: 'labgate-backup',
        rows: body.filter(Array.isArray).length,
        sha256: createHash('sha256').update(text).digest('hex'),
      };
  const file = path.join(dir, name);
  writeFileSync(file, gzipSync(`${text}${JSON.stringify(end)}\n`));
  return file;
}

beforeAll(async () => {
  source = await openTestDatabase();
  await fillEveryTable(source.db);
  await createProbeTable(source.db, source.kind);
  for (const [i, data] of [Buffer.from([0, 1, 2, 253, 254, 255]), null, Buffer.alloc(0)].entries())
    await addProbeRow(source.db, data, `probe ${i}`);
  dir = mkdtempSync(path.join(tmpdir(), 'labgate-backup-cli-'));
  backupFile = path.join(dir, 'labgate.jsonl.gz');
  made = await labgate(['backup', '--out', backupFile], source.url);
});
afterAll(async () => {
  for (const t of targets) await t.close();
  await source?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('labgate backup and labgate restore', () => {
  it('writes one private file, says it holds secrets, and leaves no temporary file behind', () => {
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/written to .*labgate\.jsonl\.gz: \d+ rows in \d+ tables/);
    expect(made.stderr).toContain('holds secrets');
    expect(made.stderr).toContain('mode 0600');
    expect(made.stderr).toContain("learners' folders");
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['labgate.jsonl.gz']);
    const manifest = lines(backupFile)[0] as {
      database: string;
      schema: string;
      tables: Array<{ name: string; rows: number }>;
    };
    expect(manifest).toMatchObject({
      format: 'labgate-backup',
      database: testDbKind(),
      schema: knownMigrations().at(-1),
    });
    expect(manifest.tables).toContainEqual(expect.objectContaining({ name: 'users', rows: 2 }));
    expect(manifest.tables).toContainEqual(expect.objectContaining({ name: 'oidc_keys', rows: 2 }));
  });

  it('leaves the previous backup whole and no temporary file when a backup fails', async () => {
    const previous = readFileSync(backupFile);
    const failed = await labgate(['backup', '--out', backupFile], (await blank()).url);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('The database has no labgate tables');
    expect(readFileSync(backupFile).equals(previous)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('restores into a new database every row of every table, value for value, and numbers new rows after them', async () => {
    const target = await blank();
    await createProbeTable(target.db, target.kind);
    const restored = await labgate(['restore', backupFile], target.url);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/restored \d+ rows in \d+ tables into/);
    expect(await everyRow(target.db)).toEqual(await everyRow(source.db));
    expect(await addProbeRow(target.db, null, 'after the restore')).toBe(4);
  });

  it.runIf(testDbKind() === 'sqlite')(
    'waits for no SQLite server: refuses while one runs on the database',
    async () => {
      const target = await blank();
      await createProbeTable(target.db, target.kind);
      const before = await everyRow(target.db);
      const server = holdSqliteServerLock(target.url)!; // as `labgate serve` holds it
      try {
        const refused = await labgate(['restore', backupFile], target.url);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(`Another labgate server (pid ${process.pid}`);
        expect(await everyRow(target.db)).toEqual(before); // nothing restored
      } finally {
        server.release();
      }
      const restored = await labgate(['restore', backupFile], target.url);
      expect(restored.code, restored.stderr).toBe(0);
    },
  );

  it('refuses a database that already holds data and leaves it as it was', async () => {
    const before = await everyRow(source.db);
    const refused = await labgate(['restore', backupFile], source.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The database already holds data');
    expect(refused.stderr).toContain('rows');
    expect(refused.stderr).toContain('Nothing was written');
    expect(await everyRow(source.db)).toEqual(before);
  });

  it('refuses a backup cut short and writes nothing, not even the tables', async () => {
    const whole = readFileSync(backupFile);
    const cut = path.join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const target = await blank();
    const refused = await labgate(['restore', cut], target.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is damaged or incomplete: .*cut short/);
    expect(await tableNames(target.db)).toEqual([]);
  });

  it('refuses a backup edited after it was made (its checksum no longer matches)', async () => {
    // One timestamp moved by a millisecond: the kind of damage nothing else would notice.
    const shifted = (l: unknown) =>
      Array.isArray(l) ? l.map((v) => (v === 1_767_225_600_123 ? v + 1 : v)) : l;
    const tampered = edited('tampered.jsonl.gz', (body) => body.map(shifted), { keepEnd: true });
    const target = await blank();
    const refused = await labgate(['restore', tampered], target.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the checksum does not match the content');
    expect(await tableNames(target.db)).toEqual([]);
  });

  it('refuses a backup from a newer labgate, saying which version to install', async () => {
    const future = '2099-01-01-999-from-the-future';
    const newer = edited('newer.jsonl.gz', ([manifest, ...rest]) => [
      {
        ...(manifest as object),
        labgateVersion: '9.0.0',
        schema: future,
        migrations: [...knownMigrations(), future],
      },
      ...rest,
    ]);
    const target = await blank();
    const refused = await labgate(['restore', newer], target.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('comes from a newer labgate (9.0.0');
    expect(refused.stderr).toContain('Upgrade labgate to 9.0.0 or later');
    expect(await tableNames(target.db)).toEqual([]);
  });

  it('puts no row in when one row cannot go in (one transaction); the same database then takes a good backup', async () => {
    const duplicated = edited('duplicated.jsonl.gz', (body) => {
      const at = body.findIndex((l) => JSON.stringify(l) === '{"table":"users"}');
      const manifest = body[0] as { tables: Array<{ name: string; rows: number }> };
      manifest.tables.find((t) => t.name === 'users')!.rows++;
      return [...body.slice(0, at + 2), body[at + 1], ...body.slice(at + 2)];
    });
    const target = await blank();
    await createProbeTable(target.db, target.kind);
    const refused = await labgate(['restore', duplicated], target.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /UNIQUE constraint failed: users\.id|duplicate key value violates unique constraint "users_pkey"/,
    );
    expect(await rowCount(target.db)).toBe(0);
    const retried = await labgate(['restore', backupFile], target.url);
    expect(retried.code, retried.stderr).toBe(0);
    expect(await everyRow(target.db)).toEqual(await everyRow(source.db));
  });
});
