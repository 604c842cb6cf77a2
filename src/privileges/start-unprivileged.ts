import { chownSync, mkdirSync, statSync } from 'node:fs';
import { checkSocketUsable, socketGroups } from './engine-socket.ts';
import { handOver } from './hand-over.ts';
import { modeText } from './mode-text.ts';
import { privilegeErrors } from './privilege-errors.ts';
import { checkReachable, makeFilesPrivate } from './private-files.ts';
import { switchUser } from './switch-user.ts';
import { currentAccount, ensureAccount, type Account, type StartLog } from './system-user.ts';

export interface StartSettings {
  /** LABGATE_USER: who to become when started as root; a user whose uid is 0 keeps root. */
  user: string;
  dataDir: string;
  /** Absolute paths of the database, keys and tokens labgate keeps (made 0600 when they exist). */
  secretFiles: string[];
  /** The container engine's socket, when workspaces are configured. */
  engineSocket: string | undefined;
  /** WORKSPACES_ROOT, when workspaces are configured: labgate makes learners' disk images there. */
  workspacesRoot?: string | undefined;
  log: StartLog;
}

/** DATA_DIR exists and is not a shared folder such as /tmp, which labgate must never make its own. */
export function ensureDataDir(dataDir: string) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const st = statSync(dataDir);
  if ((st.mode & 0o1002) !== 0) throw privilegeErrors.sharedDataDir(dataDir, modeText(st));
}

function dropRoot(s: StartSettings): Account {
  const target = ensureAccount(s.user, s.log);
  if (target.uid === 0) {
    s.log.warn(
      { user: s.user },
      'running as root because LABGATE_USER names root: a fault in labgate is then a fault as root (and the engine socket is root on the host); unset LABGATE_USER to run as the labgate user',
    );
    return target;
  }
  const groups = socketGroups(s.engineSocket, target);
  handOver({ dataDir: s.dataDir, files: s.secretFiles, to: target });
  if (s.workspacesRoot) {
    // Made now, while root may, beside a DATA_DIR in a root-owned checkout; only the folder changes hands.
    mkdirSync(s.workspacesRoot, { recursive: true, mode: 0o700 });
    if (statSync(s.workspacesRoot).uid === 0) chownSync(s.workspacesRoot, target.uid, target.gid);
  }
  switchUser(target, groups);
  s.log.info({ user: target.name, uid: target.uid, gid: target.gid, groups }, 'dropped root');
  return target;
}

/**
 * The first step of `serve` and `demo`, before anything opens the database: files created private
 * (umask 077), root dropped for LABGATE_USER (keeping the engine socket through its group), and
 * DATA_DIR and secret files checked to be that user's only, or labgate stops saying how to fix it.
 */
export function startUnprivileged(s: StartSettings): Account {
  ensureDataDir(s.dataDir); // before the umask: folders it adds above DATA_DIR stay searchable
  process.umask(0o077);
  const self = process.getuid!() === 0 ? dropRoot(s) : currentAccount();
  checkReachable({ dataDir: s.dataDir, files: s.secretFiles, self });
  checkSocketUsable(s.engineSocket, self);
  makeFilesPrivate({ dataDir: s.dataDir, files: s.secretFiles, self });
  return self;
}
