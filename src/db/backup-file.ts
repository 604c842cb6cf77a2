import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { dumpDatabase, type DumpOptions } from './backup-dump.ts';
import { backupFormatName, type BackupManifest } from './backup-format.ts';
import type { Db } from './database.ts';

export interface WrittenBackup {
  file: string;
  bytes: number;
  rows: number;
  manifest: BackupManifest;
}

/**
 * Writes the backup to a private temporary file beside `out` (mode 0600: it holds the OIDC and LTI
 * keys), flushes it to disk, then renames it: `out` is never a half-written backup.
 */
export async function writeBackupFile(
  db: Db,
  out: string,
  o: Omit<DumpOptions, 'emit'>,
): Promise<WrittenBackup> {
  const file = path.resolve(out);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const sink = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
  const gzip = createGzip();
  gzip.pipe(sink);
  const done = finished(sink);
  done.catch(() => {}); // awaited below; a failure before then is reported by the write that meets it
  const hash = createHash('sha256');
  const write = async (line: string) => {
    if (sink.errored) throw sink.errored;
    if (!gzip.write(line)) await Promise.race([once(gzip, 'drain'), done]);
  };
  try {
    await once(sink, 'open');
    const dumped = await dumpDatabase(db, {
      ...o,
      emit: async (record) => {
        const line = `${JSON.stringify(record)}\n`;
        hash.update(line);
        await write(line);
      },
    });
    await write(
      `${JSON.stringify({ end: backupFormatName, rows: dumped.rows, sha256: hash.digest('hex') })}\n`,
    );
    gzip.end();
    await done;
    await syncFile(temp);
    await rename(temp, file);
    await syncFile(path.dirname(file));
    return { file, bytes: (await stat(file)).size, rows: dumped.rows, manifest: dumped.manifest };
  } catch (err) {
    gzip.destroy();
    sink.destroy();
    await rm(temp, { force: true });
    throw err;
  }
}

/** fsync: the data (or, for a folder, the rename) survives a power cut once the command said done. */
async function syncFile(file: string) {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
