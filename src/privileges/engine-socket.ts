import { accessSync, constants, statSync } from 'node:fs';
import { modeText } from './mode-text.ts';
import { privilegeErrors } from './privilege-errors.ts';
import type { Account } from './system-user.ts';

/**
 * The group labgate joins to keep using the container engine once it is not root: the socket's own,
 * when the group may read and write it. A root-only socket stops labgate with the command that fixes it.
 * @see notes/isolation.md §7: that group is root-equivalent on the host, as Docker's docs warn.
 */
export function socketGroups(socket: string | undefined, user: Account): number[] {
  // No engine yet: the spawner says so when a workspace starts, as it does for root.
  const st = socket ? statSync(socket, { throwIfNoEntry: false }) : undefined;
  if (!socket || !st) return [];
  if (st.uid === user.uid && (st.mode & 0o600) === 0o600) return [];
  if ((st.mode & 0o006) === 0o006) return [];
  if (st.gid !== 0 && (st.mode & 0o060) === 0o060) return [st.gid];
  throw privilegeErrors.socketRootOnly({
    socket,
    shown: modeText(st),
    user: user.name,
    group: user.groupName,
  });
}

/**
 * Whether a user other than root keeps `socket` once labgate drops root: through its group (not
 * root's) or because everyone may use it. A root-only socket is then out of reach.
 */
export function socketKeptWithoutRoot(socket: string): boolean {
  const st = statSync(socket, { throwIfNoEntry: false });
  if (!st) return false;
  return (st.mode & 0o006) === 0o006 || (st.gid !== 0 && (st.mode & 0o060) === 0o060);
}

/** After the switch, or when started unprivileged (a container with group_add): the socket answers to us. */
export function checkSocketUsable(socket: string | undefined, self: Account) {
  const st = socket ? statSync(socket, { throwIfNoEntry: false }) : undefined;
  if (!socket || !st) return;
  try {
    accessSync(socket, constants.R_OK | constants.W_OK);
  } catch {
    throw privilegeErrors.socketUnusable({ socket, shown: modeText(st), user: self.name, uid: self.uid });
  }
}
