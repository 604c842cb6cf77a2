// Temporary SQLite-only version; replaced by the SQLite/PostgreSQL one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase, migrateToLatest, type Db } from '../../src/db/index.ts';

export async function openTestDatabase(): Promise<{
  kind: 'sqlite' | 'postgres';
  url: string;
  db: Db;
  close(): Promise<void>;
}> {
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-test-'));
  const url = `sqlite:${path.join(dir, 'labgate.db')}`;
  const db = createDatabase(url);
  await migrateToLatest(db);
  return {
    kind: 'sqlite',
    url,
    db,
    close: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
