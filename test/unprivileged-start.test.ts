import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest } from '../src/db/index.ts';
import { startDemoProcess } from './support/labgate-process.ts';

// `npm start` as root, as CI runs it: the serving process must be the labgate user's, with no capabilities.
const asRoot = process.getuid?.() === 0;
const fresh = (name: string) => mkdtempSync(path.join(tmpdir(), `labgate-${name}-`));
const modeOf = (file: string) => statSync(file).mode & 0o777;

/** The pid listening on a loopback port: its socket's inode in /proc/net/tcp, found among the descriptors. */
function listeningPid(url: string): number {
  const hex = `:${Number(new URL(url).port).toString(16).toUpperCase().padStart(4, '0')}`;
  const inode = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((f) => f[1]?.endsWith(hex) && f[3] === '0A')?.[9];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const fds = readdirSync(`/proc/${pid}/fd`);
      if (fds.some((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`)) return Number(pid);
    } catch {
      // a process that ended meanwhile
    }
  }
  throw new Error(`no process listens on ${url}`);
}

const status = (pid: number, field: string) =>
  new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!.split(/\s+/);

/** A DATA_DIR as an earlier labgate left it, run as root: 0755, a real database and a root token 0644. */
async function earlierRootRun() {
  const dir = fresh('earlier');
  chmodSync(dir, 0o755);
  const db = createDatabase(`sqlite:${path.join(dir, 'labgate.db')}`);
  await migrateToLatest(db);
  await db.destroy();
  chmodSync(path.join(dir, 'labgate.db'), 0o644);
  mkdirSync(path.join(dir, 'gitlab-lite'), { mode: 0o755 });
  writeFileSync(path.join(dir, 'gitlab-lite', 'root-token'), 'glpat-earlier-run-token-0123456789\n', {
    mode: 0o644,
  });
  return dir;
}

let earlier = '';
let earlierDb = { ino: 0 };
let rootOnly: Server | undefined;
let demo: Awaited<ReturnType<typeof startDemoProcess>>;
let rootDemo: Awaited<ReturnType<typeof startDemoProcess>>;
let refusal: PromiseSettledResult<unknown>;
const socketDir = fresh('engine');
const refusedDir = fresh('refused');

beforeAll(async () => {
  if (!asRoot) return;
  earlier = await earlierRootRun();
  earlierDb = statSync(path.join(earlier, 'labgate.db'));
  const socket = path.join(socketDir, 'engine.sock');
  rootOnly = createServer();
  await new Promise<void>((resolve) => rootOnly!.listen(socket, resolve));
  chmodSync(socket, 0o600); // as `podman system service` makes it: srw------- root root
  const starts = await Promise.allSettled([
    startDemoProcess({ DATA_DIR: earlier }),
    startDemoProcess({ LABGATE_USER: 'root', EMBEDDED_FORGE: 'off' }),
    startDemoProcess({
      DATA_DIR: refusedDir,
      WORKSPACE_IMAGE: 'labgate/notebook:1',
      DOCKER_SOCKET: socket,
    }),
  ]);
  if (starts[0].status === 'rejected' || starts[1].status === 'rejected')
    throw [starts[0], starts[1]]
      .map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))
      .join('\n');
  [demo, rootDemo, refusal] = [starts[0].value, starts[1].value, starts[2]];
  if (starts[2].status === 'fulfilled') await starts[2].value.stop();
}, 90_000);

afterAll(async () => {
  await demo?.stop();
  await rootDemo?.stop();
  rootOnly?.close();
  for (const dir of [socketDir, refusedDir]) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(asRoot)('labgate started as root', () => {
  it('serves as the labgate user, with no way back to root and no capabilities', async () => {
    const account = (flag: string) => Number(execFileSync('id', [flag, 'labgate'], { encoding: 'utf8' }));
    const pid = listeningPid(demo.url);
    expect(status(pid, 'Uid')).toEqual(Array(4).fill(String(account('-u'))));
    expect(status(pid, 'Gid')).toEqual(Array(4).fill(String(account('-g'))));
    expect(status(pid, 'Groups')).not.toContain('0');
    for (const caps of ['CapEff', 'CapPrm', 'CapAmb'])
      expect(status(pid, caps), caps).toEqual(['0000000000000000']);
    expect((await fetch(`${demo.url}/simulator`)).status).toBe(200);
  });

  it('tightens a data folder an earlier root run left open: DATA_DIR 0700, database and token 0600, all its own', () => {
    const uid = Number(execFileSync('id', ['-u', 'labgate'], { encoding: 'utf8' }));
    expect({ mode: modeOf(earlier), uid: statSync(earlier).uid }).toEqual({ mode: 0o700, uid });
    const db = path.join(earlier, 'labgate.db');
    expect(statSync(db).ino).toBe(earlierDb.ino); // the same database, kept, not a new one
    const token = path.join(earlier, 'gitlab-lite', 'root-token');
    expect(readFileSync(token, 'utf8')).toBe('glpat-earlier-run-token-0123456789\n');
    for (const file of [db, `${db}-wal`, token, path.join(earlier, 'gitlab-lite', 'gitlab-lite.db')])
      expect({ file, mode: modeOf(file), uid: statSync(file).uid }).toEqual({ file, mode: 0o600, uid });
  });

  it('stays root, saying so, only when LABGATE_USER=root, and still keeps its files private', () => {
    expect(rootDemo.output()).toMatch(/"level":40.*LABGATE_USER names root/);
    expect(status(listeningPid(rootDemo.url), 'Uid')).toEqual(['0', '0', '0', '0']);
    expect(modeOf(rootDemo.dataDir)).toBe(0o700);
    expect(modeOf(path.join(rootDemo.dataDir, 'labgate.db'))).toBe(0o600);
  });

  it('stops before serving when the engine socket is root-only, with the command that fixes it', () => {
    expect(refusal.status).toBe('rejected');
    const reason = String((refusal as PromiseRejectedResult).reason);
    expect(reason).toMatch(/exited with 1/);
    expect(reason).toContain('is srw------- root root: only its owner can use it');
    expect(reason).toMatch(/chgrp labgate \S+engine\.sock && chmod 660 \S+engine\.sock/);
  });
});
