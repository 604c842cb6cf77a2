import { chownSync, lchownSync, lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Account } from './system-user.ts';

/** Inside the data folder: the first path segment of each of labgate's own files (`labgate.db`, `gitlab-lite`). */
function ownEntries(dataDir: string, files: string[]) {
  const inside = files.map((f) => path.relative(dataDir, f)).filter((r) => r && !r.startsWith('..'));
  return [...new Set(inside.map((r) => path.join(dataDir, r.split(path.sep)[0]!)))];
}

/**
 * Gives the user labgate becomes what runs as root made: DATA_DIR, its own files there and the database
 * wherever it is. Only root-owned entries change hands; no link followed, no other owner's folder entered.
 */
export function handOver(o: { dataDir: string; files: string[]; to: Account }) {
  const give = (file: string, st: Stats) => {
    // A root-owned file with several names may be a link to one elsewhere: never re-owned.
    if (st.uid !== 0 || (st.isFile() && st.nlink > 1)) return;
    lchownSync(file, o.to.uid, o.to.gid);
  };
  const walk = (file: string) => {
    const st = lstatSync(file, { throwIfNoEntry: false });
    if (!st) return;
    give(file, st);
    if (st.isDirectory() && (st.uid === 0 || st.uid === o.to.uid))
      for (const name of readdirSync(file)) walk(path.join(file, name));
  };
  // DATA_DIR may be a link an operator made to another disk: the folder it names changes hands.
  if (statSync(o.dataDir).uid === 0) chownSync(o.dataDir, o.to.uid, o.to.gid);
  for (const entry of ownEntries(o.dataDir, o.files)) walk(entry);
  for (const file of o.files.filter((f) => !ownEntries(o.dataDir, [f]).length)) {
    const st = lstatSync(file, { throwIfNoEntry: false });
    if (st?.isFile()) give(file, st);
  }
}
