import { sql } from 'kysely';
import type { Db } from './database.ts';

/** One trivial query: resolves when the database answers, rejects with its error otherwise (readiness). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
