import { chmodSync, chownSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketGroups } from './engine-socket.ts';
import { privilegeErrors } from './privilege-errors.ts';
import { makeFilesPrivate } from './private-files.ts';
import { ensureDataDir } from './start-unprivileged.ts';
import { rootLeftovers } from './switch-user.ts';

// Each refusal on real files (the suite runs as root): what happened, then the command that fixes it.
const labgate = { name: 'labgate', uid: 4321, gid: 4321, groupName: 'labgate', groups: [4321] };
const root = { name: 'root', uid: 0, gid: 0, groupName: 'root', groups: [0] };
const dir = mkdtempSync(path.join(tmpdir(), 'labgate-privileges-'));
const socket = path.join(dir, 'engine.sock');
let server: Server;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    const e = err as { code: string; message: string; hint: string };
    return { code: e.code, message: e.message, hint: e.hint };
  }
  throw new Error('expected a refusal');
};

describe.runIf(process.getuid?.() === 0)('refusing to start', () => {
  it('names a root-only engine socket and the one command that lets labgate in', () => {
    chownSync(socket, 0, 0);
    chmodSync(socket, 0o600);
    expect(refusal(() => socketGroups(socket, labgate))).toEqual({
      code: 'PRIVILEGES_SOCKET_ROOT_ONLY',
      message: `The container engine socket ${socket} is srw------- root root: only its owner can use it, and labgate drops root to run as labgate, so it could not start workspaces.`,
      hint: `Give the socket labgate's group once, as root: chgrp labgate ${socket} && chmod 660 ${socket} (or set LABGATE_USER=root to keep running as root).`,
    });
    chmodSync(socket, 0o660); // group root is no way in either: that group opens far more than the socket
    expect(refusal(() => socketGroups(socket, labgate)).code).toBe('PRIVILEGES_SOCKET_ROOT_ONLY');
  });

  it('joins the socket’s group when that group may read and write it', () => {
    chownSync(socket, 0, 4242);
    chmodSync(socket, 0o660);
    expect(socketGroups(socket, labgate)).toEqual([4242]);
    expect(socketGroups(undefined, labgate)).toEqual([]);
    expect(socketGroups(path.join(dir, 'no-engine.sock'), labgate)).toEqual([]);
  });

  it('refuses a database that belongs to someone else, saying how to hand it over', () => {
    const data = mkdtempSync(path.join(dir, 'data-'));
    const db = path.join(data, 'labgate.db');
    writeFileSync(db, '', { mode: 0o644 });
    chownSync(db, 12345, 12345);
    expect(refusal(() => makeFilesPrivate({ dataDir: data, files: [db], self: root }))).toEqual({
      code: 'PRIVILEGES_FILE_NOT_OURS',
      message: `${db} (-rw-r--r-- 12345 12345) does not belong to root (uid 0), which labgate runs as, so labgate cannot keep it private to itself.`,
      hint: `As root, run chown -R root: ${data} (or start labgate as root once: it hands its files over to root before dropping root).`,
    });
    chownSync(db, 0, 0);
    chmodSync(data, 0o755);
    makeFilesPrivate({ dataDir: data, files: [db, `${db}-wal`], self: root });
    expect([statSync(data).mode & 0o777, statSync(db).mode & 0o777]).toEqual([0o700, 0o600]);
  });

  it('refuses a shared folder such as /tmp as DATA_DIR rather than make it its own', () => {
    const shared = mkdtempSync(path.join(dir, 'shared-'));
    chmodSync(shared, 0o1777);
    expect(refusal(() => ensureDataDir(shared))).toMatchObject({
      code: 'PRIVILEGES_DATA_DIR_SHARED',
      message: `DATA_DIR ${shared} is a folder others can write to (drwxrwxrwt root root); labgate keeps its database and keys in a folder of its own.`,
      hint: `Set DATA_DIR to a folder of its own, such as ${shared}/labgate or /var/lib/labgate.`,
    });
  });
});

describe('checking that root is gone for good', () => {
  const clean =
    'Uid:\t999\t999\t999\t999\nGid:\t995\t995\t995\t995\nGroups:\t995 990\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapAmb:\t0000000000000000\n';

  it('finds nothing left in a fully switched process', () => {
    expect(rootLeftovers(clean, { uid: 999, gid: 995 })).toEqual([]);
  });

  it('names a saved root uid, the root group and capabilities, and stops with them', () => {
    const leaky = clean
      .replace('Uid:\t999\t999\t999\t999', 'Uid:\t999\t999\t0\t999')
      .replace('Groups:\t995 990', 'Groups:\t0 995')
      .replace('CapEff:\t0000000000000000', 'CapEff:\t0000000000000400');
    const problems = rootLeftovers(leaky, { uid: 999, gid: 995 });
    expect(problems).toEqual([
      'Uid is 999 999 0 999, not 999 throughout',
      'still in group 0',
      'CapEff is 0000000000000400',
    ]);
    expect(privilegeErrors.notDropped('labgate', problems).message).toBe(
      'labgate switched to labgate but could still act as root (Uid is 999 999 0 999, not 999 throughout; still in group 0; CapEff is 0000000000000400), so it stops rather than run so.',
    );
  });
});
