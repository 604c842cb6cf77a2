import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A private PostgreSQL cluster for the tests, on loopback only, started once and left running (it is
 * cheap and makes the next run fast). LABGATE_TEST_PG_URL points the suite at another server instead.
 */
const dataDir = process.env.LABGATE_TEST_PG_DIR ?? '/tmp/labgate-test-pg';
const port = Number(process.env.LABGATE_TEST_PG_PORT ?? 54329);

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest)
    throw new Error('PostgreSQL is not installed: run `bash scripts/ensure-test-deps.sh` as root.');
  return path.join(root, newest, 'bin');
}

/** initdb and postgres refuse to run as root: run them as the postgres system user then. */
function runAsOwner(command: string, args: string[]) {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

function isRunning(bin: string): boolean {
  try {
    runAsOwner(path.join(bin, 'pg_ctl'), ['status', '-D', dataDir]);
    return true;
  } catch {
    return false;
  }
}

function initCluster(bin: string) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
  }
  runAsOwner(path.join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  writeFileSync(
    path.join(dataDir, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dataDir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 200',
      '',
    ].join('\n'),
  );
}

export async function ensureTestPostgres(): Promise<string> {
  if (process.env.LABGATE_TEST_PG_URL) return process.env.LABGATE_TEST_PG_URL;
  const bin = binDir();
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) initCluster(bin);
  if (!isRunning(bin)) {
    runAsOwner(path.join(bin, 'pg_ctl'), [
      'start',
      '-D',
      dataDir,
      '-l',
      path.join(dataDir, 'server.log'),
      '-w',
      '-t',
      '60',
    ]);
  }
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}
