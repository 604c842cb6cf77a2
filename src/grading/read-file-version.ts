import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../errors.ts';
import type { FileVersion } from './diff-files.ts';

/** Past this, a version is refused rather than read: diffing it would take the machine's memory. */
export const maxDiffBytes = 128 * 1024 * 1024;

const mb = (bytes: number) => `${Math.ceil(bytes / (1024 * 1024))} MB`;

const refused = (file: string, why: string, hint: string) =>
  new AppError({ code: 'DIFF_UNREADABLE', status: 422, message: `${file}: ${why}.`, hint });

function kindOf(stat: Stats) {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads one version of a file to diff: regular files only, at most `maxBytes`. Opened without blocking
 * (a FIFO with no writer would wait forever) and checked on the open descriptor, so a link swapped
 * in between cannot turn it into `/dev/zero`.
 */
export async function readFileVersion(file: string, maxBytes = maxDiffBytes): Promise<FileVersion> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw code === 'ENOENT'
      ? refused(file, 'no such file', 'Check the path.')
      : refused(file, `cannot read it (${code ?? (err as Error).message})`, 'Check its permissions.');
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      const kind = kindOf(stat);
      throw refused(
        file,
        kind === 'not a regular file' ? kind : `is ${kind}, not a regular file`,
        'labgate diff compares files; copy what you want to compare into one.',
      );
    }
    if (stat.size > maxBytes)
      throw refused(
        file,
        `is ${mb(stat.size)}, over the ${mb(maxBytes)} labgate diff reads`,
        'Compare a smaller extract.',
      );
    // One byte more than stat said: a file that grows while read is refused, never read on and on.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length)
        throw refused(file, 'changed while being read', 'Compare it once it stops changing.');
    }
    return { name: file, bytes: buffer.subarray(0, length) };
  } finally {
    await handle.close();
  }
}
