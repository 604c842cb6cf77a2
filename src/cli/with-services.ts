import type { Services } from '../app.ts';
import { loadConfig } from '../config.ts';

/** Runs one CLI command against the configured database, closing it afterwards. */
export async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig('cli');
  process.umask(0o077); // a database or WAL file this command creates is its owner's only
  // Loaded on demand so that `--help` answers without starting the database drivers.
  const { openServices } = await import('../app.ts');
  const services = await openServices(config);
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}
