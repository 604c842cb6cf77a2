import { AppError } from '../errors.ts';

const stop = (what: string, message: string, hint: string) =>
  new AppError({ code: `PRIVILEGES_${what}`, status: 500, message, hint });

/** Why labgate refuses to start rather than run with secrets others can read, or as root by accident. */
export const privilegeErrors = {
  userNotCreated: (user: string, why: string) =>
    stop(
      'USER_NOT_CREATED',
      `labgate could not create the system user ${user} to run as: ${why}.`,
      `Create it yourself (useradd --system --no-create-home --shell /usr/sbin/nologin ${user}), name another user with LABGATE_USER, or set LABGATE_USER=root to keep running as root.`,
    ),
  socketRootOnly: (o: { socket: string; shown: string; user: string; group: string }) =>
    stop(
      'SOCKET_ROOT_ONLY',
      `The container engine socket ${o.socket} is ${o.shown}: only its owner can use it, and labgate drops root to run as ${o.user}, so it could not start workspaces.`,
      `Give the socket labgate's group once, as root: chgrp ${o.group} ${o.socket} && chmod 660 ${o.socket} (or set LABGATE_USER=root to keep running as root).`,
    ),
  socketUnusable: (o: { socket: string; shown: string; user: string; uid: number }) =>
    stop(
      'SOCKET_UNUSABLE',
      `labgate runs as ${o.user} (uid ${o.uid}) and cannot use the container engine socket ${o.socket} (${o.shown}), so it could not start workspaces.`,
      `Make it a member of the socket's group: with Docker Compose, set DOCKER_GID in .env to that group's id (getent group docker | cut -d: -f3); on a host, start labgate as root and it joins that group itself.`,
    ),
  sharedDataDir: (dir: string, shown: string) =>
    stop(
      'DATA_DIR_SHARED',
      `DATA_DIR ${dir} is a folder others can write to (${shown}); labgate keeps its database and keys in a folder of its own.`,
      `Set DATA_DIR to a folder of its own, such as ${dir.replace(/\/$/, '')}/labgate or /var/lib/labgate.`,
    ),
  notOurs: (o: { file: string; shown: string; user: string; uid: number; dataDir: string }) =>
    stop(
      'FILE_NOT_OURS',
      `${o.file} (${o.shown}) does not belong to ${o.user} (uid ${o.uid}), which labgate runs as, so labgate cannot keep it private to itself.`,
      `As root, run chown -R ${o.user}: ${o.dataDir} (or start labgate as root once: it hands its files over to ${o.user} before dropping root).`,
    ),
  notPrivate: (o: { file: string; shown: string; wanted: string; why: string | undefined }) =>
    stop(
      'FILE_NOT_PRIVATE',
      `labgate could not make ${o.file} private: it is ${o.shown} and must be ${o.wanted}${o.why ? ` (${o.why})` : ''}.`,
      'Check that its file system is writable and that nothing resets its modes (an ACL, a mount option), then start labgate again.',
    ),
  unreachable: (o: { dir: string; blocker: string; user: string }) =>
    stop(
      'DIR_UNREACHABLE',
      `labgate, running as ${o.user}, cannot reach ${o.dir}: ${o.blocker} is closed to it.`,
      `Set DATA_DIR (or DATABASE_URL) to a folder outside private homes, such as /var/lib/labgate, or open ${o.blocker} to it (chmod o+x ${o.blocker}); LABGATE_USER=root keeps running as root.`,
    ),
  notWritable: (o: { dir: string; user: string }) =>
    stop(
      'DIR_NOT_WRITABLE',
      `labgate, running as ${o.user}, cannot create files in ${o.dir}, where DATABASE_URL puts the SQLite database (its -wal and -shm files go beside it).`,
      `Move the database into DATA_DIR, or as root run chown ${o.user}: ${o.dir}.`,
    ),
  notDropped: (user: string, problems: string[]) =>
    stop(
      'NOT_DROPPED',
      `labgate switched to ${user} but could still act as root (${problems.join('; ')}), so it stops rather than run so.`,
      `Start it where capabilities are not kept across a user switch (no SECBIT_KEEP_CAPS, no ambient capabilities), or start it as ${user} directly.`,
    ),
};
