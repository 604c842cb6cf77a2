import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { filesOf } from '../grading/index.ts';
import type { CollectedLearner, ManifestRow } from '../flows/index.ts';
import { collectTarGz } from './collect-tar.ts';

const row = (folder: string, status: string): ManifestRow => ({
  folder,
  name: folder,
  lmsId: '',
  gitlabUsername: folder,
  commit: '',
  pushedAt: '',
  deadline: '',
  late: 'no',
  lateDelay: '',
  lateCommit: '',
  tag: '',
  status,
  files: 0,
  skipped: [],
});

const learner = (folder: string, files?: Record<string, Buffer>): CollectedLearner => ({
  folder,
  files: files && Object.entries(files).map(([path, bytes]) => ({ path, bytes })),
  pushedAt: files ? Date.parse('2026-12-01T17:00:00Z') : undefined,
  row: row(folder, files ? 'submitted' : 'nothing submitted'),
});

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('the submissions download', () => {
  it('is nbgrader’s layout and the manifest, gzipped', async () => {
    async function* learners() {
      yield learner('ada', { 'ex.ipynb': Buffer.from('{}'), 'data/a.csv': Buffer.from('x\n') });
      yield learner('bob');
    }
    const tar = gunzipSync(await read(collectTarGz(learners(), 'ex1', () => undefined)));
    const files = await filesOf(tar, 1 << 20, 0);
    expect([...files.keys()].sort()).toEqual([
      'manifest-ex1.csv',
      'submitted/ada/ex1/data/a.csv',
      'submitted/ada/ex1/ex.ipynb',
    ]);
    expect(files.get('manifest-ex1.csv')!.toString()).toMatch(
      /^learner,name,.*\r\nada,ada,.*submitted.*\r\nbob,/s,
    );
  });

  it('stops reading the forge when the download is cut short, without crashing', async () => {
    let made = 0;
    let closed = false;
    async function* learners() {
      try {
        for (let i = 0; i < 1000; i++) {
          made += 1;
          yield learner(`l${i}`, { 'big.bin': Buffer.alloc(1 << 20, i) });
        }
      } finally {
        closed = true;
      }
    }
    const errors: unknown[] = [];
    const body = collectTarGz(learners(), 'ex1', (err) => errors.push(err)) as NodeJS.ReadableStream & {
      destroy(): void;
    };
    await new Promise<void>((resolve) => body.once('data', () => resolve()));
    body.destroy();
    for (let i = 0; i < 50 && !closed; i++) await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(true);
    expect(made).toBeLessThan(20); // streamed: the class is never all in memory
    expect(errors).toEqual([]);
  });
});
