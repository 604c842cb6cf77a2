import { Readable } from 'node:stream';
import { extract, pack } from 'tar-stream';

/** A tree of files by relative path (regular files only: links and devices have no place in it). */
export type Files = Map<string, Buffer>;

/** A tar of `files`, as the sandbox unpacks it (mode 0644, owned by nobody in particular). */
export async function tarOf(files: Files): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', resolve);
    p.on('error', reject);
  });
  for (const [name, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b)))
    p.entry({ name, size: bytes.length, mode: 0o644, mtime: new Date(0) }, bytes);
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

/**
 * The regular files of a tar (`git archive` output): anything else is skipped, sizes capped. GitLab
 * puts everything under a `<project>-<ref>-<sha>/` folder: `strip` leading folders are dropped.
 * `onSkipped` hears of each entry left out that is not a folder (symlinks, hard links, devices).
 */
export async function filesOf(
  tar: Buffer,
  maxBytes: number,
  strip = 1,
  onSkipped?: (name: string, type: string) => void,
): Promise<Files> {
  const files: Files = new Map();
  const x = extract();
  let total = 0;
  const done = new Promise<void>((resolve, reject) => {
    x.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (data) => {
        const c = data as Buffer;
        total += c.length;
        if (total <= maxBytes) chunks.push(c);
      });
      stream.on('end', () => {
        const name = header.name.replace(/^\.\//, '').split('/').slice(strip).join('/');
        if (header.type === 'file' && name && total <= maxBytes) files.set(name, Buffer.concat(chunks));
        else if (header.type !== 'file' && header.type !== 'directory' && name)
          onSkipped?.(name, header.type);
        next();
      });
      stream.resume();
    });
    x.on('finish', resolve);
    x.on('error', reject);
  });
  Readable.from([tar]).pipe(x);
  await done;
  if (total > maxBytes) throw new RangeError(`the submission is larger than ${maxBytes} bytes`);
  return files;
}
