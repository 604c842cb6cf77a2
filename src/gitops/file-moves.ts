import path from 'node:path';
import type { GitContext } from './git-command.ts';

/** `name__<tag>.ext`, or with `-2`, `-3`… when taken: where a file is put aside without overwriting. */
export async function besideName(ctx: GitContext, file: string, tag: string): Promise<string> {
  const ext = path.posix.extname(file);
  const stem = file.slice(0, file.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = `${stem}__${tag}${n > 1 ? `-${n}` : ''}${ext}`;
    if (!(await ctx.folder.stat(candidate))) return candidate;
  }
}

export const timestampTag = (d = new Date()) =>
  d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** A repository-relative path as given, or undefined if it leaves the repository or enters .git. */
export function insideRepo(file: string): string | undefined {
  const parts = file.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..') || parts.includes('.git') || file.includes('\0'))
    return undefined;
  return parts.join('/');
}

export async function moveAside(ctx: GitContext, file: string, tag: string): Promise<string> {
  const target = await besideName(ctx, file, tag);
  await ctx.folder.rename(file, target);
  return target;
}

/** Writes a file as the learner would (in their sandbox); a link there is kept aside, never followed. */
export async function writeAsLearner(ctx: GitContext, file: string, content: Buffer | string) {
  if ((await ctx.folder.stat(file))?.type === 'link') await moveAside(ctx, file, 'link');
  await ctx.folder.write(file, content);
}
