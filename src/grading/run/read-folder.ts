import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Files } from './tar-files.ts';

/** A regular file's bytes, opened without following a link (one swapped in after readdir included). */
async function readRegular(file: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined; // a link, or gone
  }
  try {
    return (await handle.stat()).isFile() ? await handle.readFile() : undefined;
  } finally {
    await handle.close();
  }
}

/**
 * The regular files under `root` by relative path, as a submission or a template: links are not
 * followed, FIFOs and devices are skipped, `.git` is skipped, and a folder over `maxBytes` is refused.
 */
export async function readFolder(root: string, maxBytes: number): Promise<Files> {
  const files: Files = new Map();
  let total = 0;
  async function walk(dir: string, rel: string) {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const full = path.join(dir, e.name);
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(full, name);
      else if (e.isFile()) {
        const bytes = await readRegular(full);
        if (!bytes) continue;
        total += bytes.length;
        if (total > maxBytes) throw new RangeError(`${root} holds more than ${maxBytes >> 20} MB`);
        files.set(name, bytes);
      }
    }
  }
  await walk(root, '');
  return files;
}
