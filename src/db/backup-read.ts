import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { backupErrors } from './backup-errors.ts';
import {
  backupEndLineSchema,
  backupFormatName,
  backupFormatVersion,
  backupManifestSchema,
  backupTableLineSchema,
  decodeValue,
  type BackupManifest,
  type BackupTable,
  type DbKind,
} from './backup-format.ts';

export type BackupRecord =
  { kind: 'table'; table: BackupTable } | { kind: 'row'; table: BackupTable; values: unknown[] };

export interface OpenedBackup {
  manifest: BackupManifest;
  /** Every table and row, checked as they come (shape, counts, checksum): throws at the first fault. */
  records(target: DbKind): AsyncGenerator<BackupRecord>;
}

/** Reads and checks the manifest; the rest is read (again) by each `records()`. */
export async function openBackup(file: string): Promise<OpenedBackup> {
  let first: string | undefined;
  for await (const line of gunzipLines(file)) {
    first = line;
    break;
  }
  if (first === undefined) throw backupErrors.notABackup(file, 'it is empty');
  const manifest = parseManifest(file, first);
  return { manifest, records: (target) => checkedRecords(file, first, manifest, target) };
}

function parseManifest(file: string, line: string): BackupManifest {
  const head = backupManifestSchema
    .pick({ format: true, formatVersion: true })
    .safeParse(parseJson(line, () => backupErrors.notABackup(file, 'its first line is not JSON')));
  if (!head.success)
    throw backupErrors.notABackup(file, `its first line is not a ${backupFormatName} manifest`);
  if (head.data.formatVersion > backupFormatVersion)
    throw backupErrors.newerFormat(file, head.data.formatVersion);
  const manifest = backupManifestSchema.safeParse(JSON.parse(line));
  if (!manifest.success)
    throw backupErrors.corrupt(file, `its manifest is incomplete (${manifest.error.issues[0]?.message})`);
  return manifest.data;
}

async function* checkedRecords(file: string, manifestLine: string, manifest: BackupManifest, target: DbKind) {
  const hash = createHash('sha256');
  const fault = (n: number, why: string) => backupErrors.corrupt(file, `line ${n}: ${why}`);
  let n = 0;
  let tableIndex = -1;
  let rowsLeft = 0;
  let rows = 0;
  let ended = false;
  for await (const line of gunzipLines(file)) {
    n++;
    if (ended) throw fault(n, 'there is data after the end line');
    if (n === 1) {
      if (line !== manifestLine) throw fault(1, 'the file changed while it was being restored');
    } else if (rowsLeft > 0) {
      const table = manifest.tables[tableIndex]!;
      const cells = parseJson(line, () => fault(n, 'not JSON'));
      if (!Array.isArray(cells) || cells.length !== table.columns.length)
        throw fault(n, `not a row of ${table.name} (${table.columns.length} values)`);
      let values: unknown[];
      try {
        values = cells.map((c) => decodeValue(c, target));
      } catch (err) {
        throw fault(n, (err as Error).message);
      }
      rowsLeft--;
      rows++;
      yield { kind: 'row', table, values } satisfies BackupRecord;
    } else if (tableIndex + 1 < manifest.tables.length) {
      const table = manifest.tables[++tableIndex]!;
      const head = backupTableLineSchema.safeParse(parseJson(line, () => fault(n, 'not JSON')));
      if (!head.success || head.data.table !== table.name)
        throw fault(n, `expected the start of table ${table.name}`);
      rowsLeft = table.rows;
      yield { kind: 'table', table } satisfies BackupRecord;
    } else {
      const end = backupEndLineSchema.safeParse(parseJson(line, () => fault(n, 'not JSON')));
      if (!end.success) throw fault(n, 'expected the end line after the last table');
      if (end.data.rows !== rows)
        throw fault(n, `the end line counts ${end.data.rows} rows, the file holds ${rows}`);
      if (end.data.sha256 !== hash.digest('hex')) throw fault(n, 'the checksum does not match the content');
      ended = true;
      continue;
    }
    hash.update(`${line}\n`);
  }
  if (!ended) {
    const where = tableIndex >= 0 ? ` (in table ${manifest.tables[tableIndex]!.name})` : '';
    throw backupErrors.corrupt(
      file,
      `it stops after line ${n}${where}, before its end line: it was cut short`,
    );
  }
}

function parseJson(line: string, fault: () => Error): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw fault();
  }
}

const unreadableWhy: Record<string, string> = {
  ENOENT: 'there is no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder',
};

/** The file's lines, decompressed; a damaged or cut gzip stream becomes a backup error. */
async function* gunzipLines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  input.pipe(gunzip).setEncoding('utf8');
  let rest = '';
  let started = false;
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      started = true;
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      yield* parts;
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const unreadable = e.code ? unreadableWhy[e.code] : undefined;
    if (unreadable) throw backupErrors.notABackup(file, unreadable);
    if (!started) throw backupErrors.notABackup(file, 'it is not gzip data');
    throw backupErrors.corrupt(
      file,
      e.code === 'Z_BUF_ERROR' ? 'it was cut short' : `its compressed data is damaged (${e.message})`,
    );
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  if (rest !== '') yield rest;
}
