import { existsSync } from 'node:fs';
import { chown, lstat, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GitContext } from './git-command.ts';

/** `name__<tag>.ext`, or with `-2`, `-3`… when taken: where a file is put aside without overwriting. */
export function besideName(dir: string, file: string, tag: string): string {
  const ext = path.extname(file);
  const stem = file.slice(0, file.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = `${stem}__${tag}${n > 1 ? `-${n}` : ''}${ext}`;
    if (!existsSync(path.join(dir, candidate))) return candidate;
  }
}

export const timestampTag = (d = new Date()) =>
  d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** The absolute path of a repository-relative one, refused if it leaves the repository. */
export function insideRepo(ctx: GitContext, file: string): string | undefined {
  const full = path.resolve(ctx.dir, file);
  return full.startsWith(ctx.dir + path.sep) && !file.split('/').includes('.git') ? full : undefined;
}

export async function moveAside(ctx: GitContext, file: string, tag: string): Promise<string> {
  const target = besideName(ctx.dir, file, tag);
  await rename(path.join(ctx.dir, file), path.join(ctx.dir, target));
  return target;
}

/** Writes a file the way the learner would have: owned by them, never through a symbolic link. */
export async function writeAsLearner(ctx: GitContext, file: string, content: Buffer | string) {
  const full = path.join(ctx.dir, file);
  const existing = await lstat(full).catch(() => undefined);
  if (existing?.isSymbolicLink()) await rename(full, path.join(ctx.dir, besideName(ctx.dir, file, 'link')));
  await writeFile(full, content);
  if (ctx.uid !== undefined && process.getuid?.() === 0) await chown(full, ctx.uid, ctx.uid);
}
