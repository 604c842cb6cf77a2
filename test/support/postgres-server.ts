import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';

/**
 * A private PostgreSQL cluster for the tests, on loopback only, started once and left running (it is
 * cheap and makes the next run fast). LABGATE_TEST_PG_URL points the suite at another server instead.
 */
const dataDir = path.resolve(process.env.LABGATE_TEST_PG_DIR ?? '/tmp/labgate-test-pg');
const port = Number(process.env.LABGATE_TEST_PG_PORT ?? 54329);
const asRoot = process.getuid?.() === 0;

/** Debian installs each major version under /usr/lib/postgresql/<version>/bin; take the newest. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest || !existsSync(path.join(root, newest, 'bin', 'initdb'))) {
    throw new Error('PostgreSQL is not installed: run `bash scripts/ensure-test-deps.sh` as root.');
  }
  return path.join(root, newest, 'bin');
}

/** initdb and pg_ctl refuse to run as root: run them as the postgres system user then. */
function run(bin: string, command: string, args: string[]): string {
  const file = path.join(bin, command);
  const [exe, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return execFileSync(exe, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

function isRunning(bin: string): boolean {
  try {
    run(bin, 'pg_ctl', ['status', '-D', dataDir]);
    return true;
  } catch {
    return false;
  }
}

/** Builds the cluster next to its final place, then renames it: a concurrent run never sees half of one. */
function initCluster(bin: string): void {
  const staging = `${dataDir}.init-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(staging, id('-u'), id('-g'));
  }
  run(bin, 'initdb', ['-D', staging, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const settings = [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${dataDir}'`,
    // Throwaway data: durability only costs time here.
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'max_connections = 200',
  ];
  appendFileSync(path.join(staging, 'postgresql.conf'), `\n# labgate tests\n${settings.join('\n')}\n`);
  try {
    renameSync(staging, dataDir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    // Another run finished its own cluster first: use that one.
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) throw err;
  }
}

function start(bin: string): void {
  const log = path.join(dataDir, 'server.log');
  try {
    run(bin, 'pg_ctl', ['start', '-D', dataDir, '-l', log, '-w', '-t', '60']);
  } catch (err) {
    if (isRunning(bin)) return; // a concurrent run started it between our check and our start
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new Error(`Could not start the test PostgreSQL in ${dataDir}:\n${tail}`, { cause: err });
  }
}

/** Admin URL of the test server, started (and created) if needed. */
export async function ensureTestPostgres(): Promise<string> {
  if (process.env.LABGATE_TEST_PG_URL) return process.env.LABGATE_TEST_PG_URL;
  const bin = binDir();
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) initCluster(bin);
  // pg_ctl start daemonizes the server in its own session, so it outlives this process without holding it.
  if (!isRunning(bin)) start(bin);
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}
