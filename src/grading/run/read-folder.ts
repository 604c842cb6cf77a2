import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Files } from './tar-files.ts';

/**
 * The regular files under `root` by relative path, as a submission or a template: links are not
 * followed, `.git` is skipped, and the whole is capped so a huge folder is refused, not read.
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
        total += (await lstat(full)).size;
        if (total > maxBytes) throw new RangeError(`${root} holds more than ${maxBytes >> 20} MB`);
        files.set(name, await readFile(full));
      }
    }
  }
  await walk(root, '');
  return files;
}
