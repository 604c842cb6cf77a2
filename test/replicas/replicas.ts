import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A labgate-like process holding `name`'s lock on `url` until it is killed; resolves once it holds it. */
export async function startLockHolder(url: string, name: string): Promise<ChildProcess> {
  const script = path.join(import.meta.dirname, 'lock-holder.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, url, name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('holding')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited with ${code}: ${out}`)));
  });
  return child;
}

/** Kills the process at once, as `kill -9` would, and waits until it is gone. */
export async function killNow(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

/** Retries `check` until it gives a value, for at most `ms`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 10_000) {
  for (const until = Date.now() + ms; ;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A promise the test settles by hand: a round that lasts as long as the test wants. */
export function gate() {
  let open!: () => void;
  const closed = new Promise<void>((r) => (open = r));
  return { closed, open };
}
