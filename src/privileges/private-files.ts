import { accessSync, chmodSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { modeText } from './mode-text.ts';
import { privilegeErrors } from './privilege-errors.ts';
import type { Account } from './system-user.ts';

const canAccess = (file: string, mode: number) => {
  try {
    accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
};

/** Before touching them: every folder above DATA_DIR is searchable, and the database's folder writable. */
export function checkReachable(o: { dataDir: string; files: string[]; self: Account }) {
  if (o.self.uid === 0) return;
  const above: string[] = [];
  for (let dir = path.dirname(o.dataDir); ; dir = path.dirname(dir)) {
    above.unshift(dir);
    if (dir === path.dirname(dir)) break;
  }
  const blocker = above.find((dir) => !canAccess(dir, constants.X_OK));
  if (blocker) throw privilegeErrors.unreachable({ dir: o.dataDir, blocker, user: o.self.name });
  const inside = (dir: string) => dir === o.dataDir || dir.startsWith(o.dataDir + path.sep);
  const elsewhere = new Set(o.files.map((f) => path.dirname(f)).filter((d) => !inside(d) && existsSync(d)));
  for (const dir of elsewhere)
    if (!canAccess(dir, constants.W_OK | constants.X_OK))
      throw privilegeErrors.notWritable({ dir, user: o.self.name });
}

function makePrivate(file: string, wanted: number, o: { dataDir: string; self: Account }) {
  const st = statSync(file);
  if (st.uid !== o.self.uid)
    throw privilegeErrors.notOurs({
      file,
      shown: modeText(st),
      user: o.self.name,
      uid: o.self.uid,
      dataDir: o.dataDir,
    });
  let why: string | undefined;
  if ((st.mode & 0o777) !== wanted) {
    try {
      chmodSync(file, wanted);
    } catch (err) {
      why = (err as NodeJS.ErrnoException).code;
    }
  }
  const after = statSync(file);
  if ((after.mode & 0o777) !== wanted)
    throw privilegeErrors.notPrivate({ file, shown: modeText(after), wanted: `0${wanted.toString(8)}`, why });
}

/**
 * DATA_DIR 0700 and labgate's secret files (its database, keys and tokens) 0600, owned by the user
 * labgate runs as: tightened when wider, refused when they belong to someone else.
 */
export function makeFilesPrivate(o: { dataDir: string; files: string[]; self: Account }) {
  makePrivate(o.dataDir, 0o700, o);
  for (const file of o.files) if (existsSync(file)) makePrivate(file, 0o600, o);
}
