import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { progressBar } from './progress-bar.ts';
import { complain, say } from './terminal-text.ts';

export function addBackupCommands(program: Command) {
  program
    .command('backup')
    .description(
      "write labgate's database with its OIDC and LTI keys to one file: a consistent snapshot, safe while labgate runs",
    )
    .requiredOption(
      '--out <file>',
      'the file to write, e.g. labgate-2026-12-01.jsonl.gz (replaced if it exists)',
    )
    .action((o: { out: string }) => backup(o.out));
  program
    .command('restore')
    .description(
      'load a backup into an empty database (DATABASE_URL: a new SQLite file or a new PostgreSQL database), then migrate it',
    )
    .argument('<file>', 'a file `labgate backup` wrote')
    .action(restore);
}

async function backup(out: string) {
  const folder = path.dirname(path.resolve(out));
  if (!existsSync(folder))
    throw new Error(`the folder ${folder} does not exist: create it or choose another --out`);
  if (existsSync(out) && statSync(out).isDirectory())
    throw new Error(`--out ${out} is a folder: name the file, e.g. ${path.join(out, 'labgate.jsonl.gz')}`);
  await withDatabase(async (db, config) => {
    const { writeBackupFile } = await import('../db/index.ts');
    const bar = progressBar('backing up');
    const made = await writeBackupFile(db, out, {
      labgateVersion: labgateVersion(),
      onProgress: (p) => bar.update(p.done, p.total, 'rows'),
    });
    bar.end();
    say(
      `backup of ${describe(config.db.url)} written to ${made.file}: ${made.rows} rows in ${made.manifest.tables.length} tables, ` +
        `schema ${made.manifest.schema}, ${Math.ceil(made.bytes / 1024)} KiB`,
    );
    complain(
      `${made.file} holds secrets (the OIDC signing keys, LTI tool keys and consumer secrets, sessions and tokens): ` +
        'it is readable by you only (mode 0600); keep it encrypted and out of shared folders.',
      `Not in it: the forge's repositories (GitLab: its own gitlab-backup; the embedded forge: ${path.join(config.dataDir, 'gitlab-lite')}) ` +
        `and the learners' folders (${config.workspaces?.root ?? 'WORKSPACES_ROOT'}): back them up with your own tools (README.md, "Backups").`,
    );
  });
}

async function restore(file: string) {
  await withDatabase(async (db, config) => {
    const { holdSqliteServerLock, restoreDatabase } = await import('../db/index.ts');
    // No labgate server may use (or start on) a SQLite database being restored: its lock, as a server's.
    const lock = holdSqliteServerLock(config.db.url);
    const bars = { checking: progressBar('checking '), restoring: progressBar('restoring') };
    let phase: keyof typeof bars | undefined;
    const done = await restoreDatabase(db, file, {
      onProgress: (p) => {
        if (phase && phase !== p.phase) bars[phase].end();
        phase = p.phase;
        bars[p.phase].update(p.done, p.total, 'rows');
      },
    }).finally(() => lock?.release());
    if (phase) bars[phase].end();
    const m = done.manifest;
    say(
      `restored ${done.rows} rows in ${m.tables.length} tables into ${describe(config.db.url)} from ${file} ` +
        `(labgate ${m.labgateVersion}, ${m.database}, ${m.createdAt}), schema ${m.schema}` +
        (done.migratedSince.length ? `, then migrated to ${done.migratedSince.at(-1)}` : ''),
    );
    complain(
      'The forge and the learners’ folders come back with their own tools (README.md, "Backups"); start labgate once they are in place.',
    );
  });
}

/** Opens DATABASE_URL as is: neither command may migrate before it has looked (a restore picks its level). */
async function withDatabase(work: (db: Db, config: Config) => Promise<void>) {
  const config = loadConfig('cli');
  process.umask(0o077); // a SQLite file the restore creates is its owner's only
  const { createDatabase } = await import('../db/index.ts');
  const db = createDatabase(config.db.url);
  try {
    await work(db, config);
  } finally {
    await db.destroy();
  }
}

/** The database, for a person: never the password a PostgreSQL URL carries. */
function describe(url: string): string {
  if (url.startsWith('sqlite:')) return `the SQLite database ${path.resolve(url.slice('sqlite:'.length))}`;
  const u = new URL(url);
  return `the PostgreSQL database ${decodeURIComponent(u.pathname.slice(1)) || '(default)'} on ${u.hostname || 'localhost'}`;
}

function labgateVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
