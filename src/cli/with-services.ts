import type { Services } from '../app.ts';
import { loadConfig } from '../config.ts';

/** Runs one CLI command against the configured database, closing it afterwards. */
export async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig('cli');
  // Loaded on demand so that `--help` answers without starting the database drivers.
  const { openServices } = await import('../app.ts');
  const services = await openServices(config);
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}

/** Prints rows as aligned columns, or as JSON for scripts. */
export function printTable(rows: Array<Record<string, string>>, json: boolean) {
  if (json) return console.log(JSON.stringify(rows, null, 2));
  if (rows.length === 0) return console.log('(none)');
  const keys = Object.keys(rows[0]!);
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => (r[k] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(width[i]!))
      .join('  ')
      .trimEnd();
  console.log(line(keys));
  for (const r of rows) console.log(line(keys.map((k) => r[k] ?? '')));
}
