import { execFileSync, spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { privilegeErrors } from './privilege-errors.ts';

/** A user labgate may run as: ids and the groups the system gives it. */
export interface Account {
  name: string;
  uid: number;
  gid: number;
  /** Its primary group's name, for the commands labgate's messages suggest. */
  groupName: string;
  groups: number[];
}

export interface StartLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

/** A user or group name for an id, or the id itself when the system has no name for it. */
export function nameOf(db: 'passwd' | 'group', id: number): string {
  try {
    return run('getent', [db, String(id)]).split(':')[0] || String(id);
  } catch {
    return String(id);
  }
}

export function findAccount(name: string): Account | undefined {
  let entry: string;
  try {
    entry = run('getent', ['passwd', name]);
  } catch {
    return undefined;
  }
  const [, , uid, gid] = entry.split(':');
  const groups = run('id', ['-G', name]).split(/\s+/).map(Number);
  return { name, uid: Number(uid), gid: Number(gid), groupName: run('id', ['-gn', name]), groups };
}

/** The user this process runs as now (a container may give it a uid the system has no name for). */
export function currentAccount(): Account {
  const uid = process.getuid!();
  const gid = process.getgid!();
  let name = String(uid);
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry: the number is its name
  }
  return { name, uid, gid, groupName: nameOf('group', gid), groups: process.getgroups!() };
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The user labgate runs as, made a system user (no login shell, no home) when missing. Retried: two
 * labgate processes starting at once race for /etc/passwd, and the loser then finds the user.
 */
export function ensureAccount(name: string, log: StartLog): Account {
  for (let attempt = 1; ; attempt++) {
    const found = findAccount(name);
    if (found) return found;
    const ownGroup = spawnSync('getent', ['group', name]).status === 0 ? ['--gid', name] : ['--user-group'];
    const made = spawnSync(
      'useradd',
      ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin']
        .concat(ownGroup)
        .concat([name]),
      { encoding: 'utf8' },
    );
    const account = made.status === 0 ? findAccount(name) : undefined;
    if (account) {
      log.info({ user: name, uid: account.uid }, 'created the system user labgate runs as');
      return account;
    }
    if (attempt === 5) {
      const why = made.error
        ? made.error.message
        : made.stderr.trim() || `useradd exited with ${made.status}`;
      throw privilegeErrors.userNotCreated(name, why);
    }
    pause(200);
  }
}
