import { sql } from 'kysely';
import type { Db } from '../../src/db/index.ts';

/**
 * Every column of every table of labgate's database (found by introspection, so a table added later
 * is searched too) that holds one of `needles`, case-insensitively: `table.column` → matching rows.
 */
export async function tracesOf(db: Db, needles: string[]): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  const words = needles.filter(Boolean).map((n) => `%${n.toLowerCase()}%`);
  for (const table of await db.introspection.getTables()) {
    if (table.name.startsWith('kysely_')) continue;
    for (const column of table.columns) {
      const text = sql`lower(cast(${sql.ref(column.name)} as text))`;
      const anyOf = sql.join(
        words.map((w) => sql`${text} like ${w}`),
        sql` or `,
      );
      const { rows } = await sql<{ n: number | string }>`
        select count(*) as n from ${sql.table(table.name)} where ${anyOf}`.execute(db);
      const n = Number(rows[0]?.n ?? 0);
      if (n > 0) found[`${table.name}.${column.name}`] = n;
    }
  }
  return found;
}
