import { spawn } from 'node:child_process';

/** How a build tool ended when it did not succeed: not installed, or its exit and last words. */
export class ToolFailure extends Error {
  constructor(
    readonly tool: string,
    readonly missing: boolean,
    readonly lastWords: string,
  ) {
    super(missing ? `${tool} is not installed` : `${tool} failed: ${lastWords || 'no output'}`);
  }
}

/**
 * Runs a build tool (mmdebstrap, npm) with its output sent to `log`, not to the person's terminal;
 * the last lines are kept for the failure's message. Aborting kills it.
 */
export function runTool(
  cmd: string,
  args: string[],
  o: { cwd?: string; log: NodeJS.WritableStream; signal?: AbortSignal | undefined },
): Promise<void> {
  return new Promise((resolve, reject) => {
    o.log.write(`\n$ ${[cmd, ...args].join(' ')}${o.cwd ? `   (in ${o.cwd})` : ''}\n`);
    const child = spawn(cmd, args, { cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'], signal: o.signal });
    let tail = '';
    const keep = (c: Buffer) => {
      o.log.write(c);
      tail = (tail + c.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new ToolFailure(cmd, true, '') : err),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const last = tail.trim().split('\n').slice(-3).join(' ').slice(-400);
      reject(new ToolFailure(cmd, false, signal ? `stopped by ${signal}` : `exit ${code}: ${last}`));
    });
  });
}

/**
 * Holds `file` with flock(1), the lock scripts/build-lab-image.sh takes, so that a test suite and
 * labgate never run npm in the same folders at once. Resolves to its release; without flock, no lock.
 */
export function holdLock(file: string): Promise<() => void> {
  return new Promise((resolve) => {
    const child = spawn('flock', [file, '-c', 'echo locked; exec cat'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const release = () => child.stdin.end();
    child.stdout.once('data', () => resolve(release));
    child.on('error', () => resolve(() => undefined));
    child.on('close', () => resolve(() => undefined));
  });
}
