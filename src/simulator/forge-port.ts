import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const portFile = (dir: string) => path.join(dir, 'port');

async function savedPort(dir: string): Promise<number | undefined> {
  const text = await readFile(portFile(dir), 'utf8').catch(() => undefined);
  const port = Number(text?.trim());
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

const portTaken = (err: unknown) => (err as NodeJS.ErrnoException).code === 'EADDRINUSE';

/**
 * Starts the embedded forge on the port it had (kept in `<dir>/port`): fork and clone addresses given
 * out before a restart, a crash included, stay right. When another program took that port, a new one
 * is picked and said; labgate rebases the addresses it stored onto the forge's new URL.
 */
export async function listenOnSavedPort<T extends { url: string }>(
  dir: string,
  start: (port: number) => Promise<T>,
  warn: (message: string) => void,
): Promise<T> {
  const saved = await savedPort(dir);
  let started: T;
  try {
    started = await start(saved ?? 0);
  } catch (err) {
    if (saved === undefined || !portTaken(err)) throw err;
    started = await start(0);
    warn(
      `the embedded forge's port ${saved} is taken by another program, so it now listens at ${started.url}; ` +
        `links to learners' forks follow it. Stop that program to keep the forge on ${saved} next time.`,
    );
  }
  await writeFile(portFile(dir), `${new URL(started.url).port}\n`);
  return started;
}
