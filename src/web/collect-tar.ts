import { createGzip } from 'node:zlib';
import { pack, type Header, type Pack } from 'tar-stream';
import type { CollectedLearner, ManifestRow } from '../flows/index.ts';
import { manifestCsv, manifestName } from './collect-manifest.ts';

/** Adds one entry, resolving once the tar has taken it (so a slow download holds the collection back). */
const entry = (p: Pack, header: Partial<Header> & Pick<Header, 'name'>, bytes?: Buffer) =>
  new Promise<void>((resolve, reject) => {
    const done = (err?: Error | null) => (err ? reject(err) : resolve());
    const sink = bytes ? p.entry(header, bytes, done) : p.entry(header, done);
    // A download cut short destroys the tar, and with it the entry being written.
    sink.on('error', reject);
  });

/**
 * A gzipped tar of `submitted/<learner>/<slug>/…` and `manifest-<slug>.csv`, made while it is read:
 * at most the collector's few learners ahead are in memory. A failure ends the download in error
 * rather than with a truncated archive that looks whole.
 */
export function collectTarGz(
  learners: AsyncGenerator<CollectedLearner>,
  slug: string,
  onError: (err: unknown) => void,
): NodeJS.ReadableStream {
  const tar = pack();
  const gzip = createGzip();
  tar.on('error', (err: Error) => gzip.destroy(err));
  tar.pipe(gzip);
  let stopped = false;
  gzip.on('close', () => {
    stopped = true;
    if (!gzip.writableFinished) tar.destroy();
  });
  void (async () => {
    const rows: ManifestRow[] = [];
    const now = new Date();
    try {
      for await (const l of learners) {
        if (stopped) break;
        rows.push(l.row);
        if (!l.files) continue;
        const mtime = new Date(l.pushedAt ?? now.getTime());
        const folder = `submitted/${l.folder}/${slug}/`;
        await entry(tar, { name: folder, type: 'directory', mode: 0o755, mtime });
        for (const f of l.files)
          await entry(tar, { name: folder + f.path, size: f.bytes.length, mode: 0o644, mtime }, f.bytes);
      }
      if (stopped) return;
      const manifest = Buffer.from(manifestCsv(rows), 'utf8');
      await entry(
        tar,
        { name: manifestName(slug), size: manifest.length, mode: 0o644, mtime: now },
        manifest,
      );
      tar.finalize();
    } catch (err) {
      if (!stopped) onError(err);
      tar.destroy(err as Error);
    } finally {
      await learners.return(undefined);
    }
  })();
  return gzip;
}
