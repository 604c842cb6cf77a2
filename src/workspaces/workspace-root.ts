import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';

/**
 * Makes the workspaces folder and checks that the learner's uid can reach it: labgate runs git in a
 * workspace as that uid (never as root in a folder the learner controls), so every folder above it
 * must be searchable by them. Throws a message naming the folder to fix.
 */
export function prepareWorkspaceRoot(root: string, uid: number) {
  mkdirSync(root, { recursive: true, mode: 0o755 });
  if (process.getuid?.() !== 0) return;
  for (let dir = root; ; dir = path.dirname(dir)) {
    const s = statSync(dir);
    const searchable =
      s.uid === uid
        ? (s.mode & 0o100) !== 0
        : s.gid === uid
          ? (s.mode & 0o010) !== 0
          : (s.mode & 0o001) !== 0;
    if (!searchable)
      throw new AppError({
        code: 'WORKSPACE_ROOT_UNREACHABLE',
        status: 500,
        message: `The workspaces folder ${root} cannot be reached by the learners’ uid ${uid}: ${dir} is not searchable by them.`,
        hint: `Run chmod o+x ${dir} (or set WORKSPACES_ROOT to a folder under a searchable path).`,
      });
    if (dir === path.dirname(dir)) return;
  }
}
