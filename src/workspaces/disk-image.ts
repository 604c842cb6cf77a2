import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { AppError } from '../errors.ts';

const exec = promisify(execFile);

// e2fsprogs is part of every Debian system, in sbin (not on an ordinary user's PATH).
const tool = (name: string) =>
  ['/usr/sbin', '/sbin', '/usr/bin', '/bin'].map((d) => `${d}/${name}`).find((p) => existsSync(p));

export const canMakeDiskImages = () => tool('mke2fs') !== undefined && tool('debugfs') !== undefined;

/**
 * A new ext4 file system of `bytes` in the file `file` (sparse: it takes only what is written), its
 * top folder owned by `uid`, no reserved blocks and no lost+found in the learner's file browser.
 * Made under a temporary name and renamed, so a crash never leaves a half-made image in use.
 */
export async function makeDiskImage(file: string, bytes: number, uid: number) {
  const temp = `${file}.making`;
  try {
    const handle = await open(temp, 'w', 0o600);
    await handle.truncate(bytes);
    await handle.close();
    await exec(tool('mke2fs')!, [
      '-q',
      '-F',
      '-t',
      'ext4',
      '-m',
      '0',
      '-J',
      'size=4',
      '-E',
      `root_owner=${uid}:${uid}`,
      '-L',
      'labgate-work',
      temp,
    ]);
    await exec(tool('debugfs')!, ['-w', '-R', 'rmdir lost+found', temp]);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw new AppError({
      code: 'WORKSPACE_DISK_IMAGE_FAILED',
      status: 500,
      message: `labgate could not make the learner’s disk image ${file}: ${(err as Error).message.split('\n')[0]}.`,
      hint: 'The administrator should check that e2fsprogs is installed and WORKSPACES_ROOT has room, or set WORKSPACE_STORAGE=folder.',
      cause: err,
    });
  }
}
