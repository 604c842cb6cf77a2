import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import {
  collectErrors,
  isSafeFolderName,
  shownName,
  unsafePathReason,
  type CollectedLearner,
} from '../flows/index.ts';

// Never through a symlink, never over an existing file: learners choose these names.
const createFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

const errnoOf = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** A folder made here, or one already there that is a real folder (lstat: a symlink is not one). */
async function ensureDir(dir: string) {
  try {
    await fs.mkdir(dir, 0o755);
  } catch (err) {
    if (errnoOf(err) !== 'EEXIST') throw err;
    if (!(await fs.lstat(dir)).isDirectory()) throw new Error(`${dir} is not a folder`);
  }
}

/** What is at `target`: nothing, an empty folder, or an earlier collection `--force` may replace. */
async function outState(target: string, force: boolean): Promise<'absent' | 'empty' | 'replace'> {
  const stat = await fs.lstat(target).catch((err: unknown) => {
    if (errnoOf(err) === 'ENOENT') return undefined;
    throw err;
  });
  if (!stat) return 'absent';
  if (!stat.isDirectory()) throw collectErrors.outNotFolder(target);
  const entries = await fs.readdir(target);
  if (entries.length === 0) return 'empty';
  if (!force) throw collectErrors.outExists(target);
  if (!entries.includes('submitted') && !entries.some((e) => /^manifest-.*\.csv$/.test(e)))
    throw collectErrors.outNotCollection(target);
  return 'replace';
}

/**
 * A collection written to disk: everything goes into a fresh folder beside `out`, renamed to `out`
 * at the end, so `out` is either absent, the earlier collection, or complete. Every path is checked
 * again here, files are made with O_EXCL|O_NOFOLLOW (0644) and folders 0755, under the umask.
 */
export async function createCollectFolder(out: string, o: { slug: string; force: boolean }) {
  const target = path.resolve(out);
  if (!isSafeFolderName(o.slug)) throw new Error(`unsafe assignment slug ${o.slug}`);
  const state = await outState(target, o.force);
  const parent = path.dirname(target);
  await fs.mkdir(parent, { recursive: true, mode: 0o755 });
  const partial = path.join(parent, `.${path.basename(target)}.partial-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(partial, 0o755);

  async function writeFile(dir: string, rel: string, bytes: Buffer) {
    const parts = rel.split('/');
    let at = dir;
    for (const p of parts.slice(0, -1)) await ensureDir((at = path.join(at, p)));
    const file = path.join(at, parts.at(-1)!);
    if (path.relative(partial, file).startsWith('..')) throw new Error('outside the collection');
    const handle = await fs.open(file, createFlags, 0o644);
    try {
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
  }

  /** Writes a learner's files to `submitted/<learner>/<slug>/`; what could not be written joins `skipped`. */
  async function writeLearner(l: CollectedLearner) {
    if (!l.files) return;
    if (!isSafeFolderName(l.folder)) throw new Error(`unsafe learner folder ${shownName(l.folder)}`);
    let dir = partial;
    for (const p of ['submitted', l.folder, o.slug]) await ensureDir((dir = path.join(dir, p)));
    let written = 0;
    for (const f of l.files) {
      const unsafe = unsafePathReason(f.path);
      try {
        if (unsafe) throw new Error(unsafe);
        await writeFile(dir, f.path, f.bytes);
        written += 1;
      } catch (err) {
        const why = unsafe ?? (errnoOf(err) === 'EEXIST' ? 'name taken' : (err as Error).message);
        l.row.skipped.push(`${shownName(f.path)} (${why})`);
      }
    }
    l.row.files = written;
  }

  /** The manifest beside `submitted/`. */
  const writeTop = (name: string, text: string) => writeFile(partial, name, Buffer.from(text, 'utf8'));

  /** Puts the collection in place: rename(2) over an empty folder; an earlier one moved aside, then removed. */
  async function finish() {
    let aside: string | undefined;
    if (state === 'replace') {
      aside = path.join(parent, `.${path.basename(target)}.old-${randomBytes(6).toString('hex')}`);
      await fs.rename(target, aside);
    }
    try {
      await fs.rename(partial, target);
    } catch (err) {
      if (aside) await fs.rename(aside, target).catch(() => undefined);
      if (['ENOTEMPTY', 'EEXIST', 'ENOTDIR'].includes(errnoOf(err) ?? ''))
        throw collectErrors.outExists(target);
      throw err;
    }
    if (aside) await fs.rm(aside, { recursive: true, force: true });
  }

  const discard = () => fs.rm(partial, { recursive: true, force: true });

  return { target, writeLearner, writeTop, finish, discard };
}
