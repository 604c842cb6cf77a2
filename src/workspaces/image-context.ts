import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pack, type Pack } from 'tar-stream';

const epoch = new Date(0);

/** Adds each folder of `name` not added yet (0755), so the image gets them readable by the learner. */
function addFolders(p: Pack, name: string, made: Set<string>) {
  const parts = name.split('/').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (made.has(dir)) continue;
    made.add(dir);
    p.entry({ name: `${dir}/`, type: 'directory', mode: 0o755, mtime: epoch });
  }
}

async function addTree(p: Pack, from: string, to: string, made: Set<string>) {
  const st = await lstat(from);
  if (st.isDirectory()) {
    for (const n of (await readdir(from)).sort()) await addTree(p, path.join(from, n), `${to}/${n}`, made);
    return;
  }
  if (!st.isFile()) return; // links and devices have no place in the image
  addFolders(p, to, made);
  // Readable by all, writable by none but root (`chmod a+rX,go-w`), as the scripts stage it.
  const header = { name: to, size: st.size, mode: st.mode & 0o111 ? 0o755 : 0o644, mtime: epoch };
  await new Promise<void>((resolve, reject) => {
    const entry = p.entry(header, (err) => (err ? reject(err) : resolve()));
    createReadStream(from).on('error', reject).pipe(entry);
  });
}

/**
 * A build context as a tar stream: each [from, to] pair of `files` (a file or a folder under `root`)
 * at `to`. Missing sources fail the stream, naming the file.
 */
export function buildContext(
  root: string,
  files: ReadonlyArray<readonly [string, string]>,
): NodeJS.ReadableStream {
  const p = pack();
  const made = new Set<string>();
  void (async () => {
    for (const [from, to] of files) await addTree(p, path.join(root, from), to, made);
    p.finalize();
  })().catch((err: unknown) => p.destroy(err as Error));
  // A streamx Readable: it pipes as a Node stream does, which is all the engine's client asks of it.
  return p as unknown as NodeJS.ReadableStream;
}
