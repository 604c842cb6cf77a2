import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts labgate exactly as the README tells a newcomer (`npm start`), on a free port and a fresh
 * data dir (or `env.DATA_DIR`, removed too at the end), and resolves once it prints the URL to open.
 */
export async function startDemoProcess(env: Record<string, string> = {}) {
  const port = await freePort();
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'labgate-demo-'));
  const child: ChildProcess = spawn('npm', ['start', '--silent'], {
    cwd: root,
    detached: true, // its own process group, so that stopping it stops npm, tsx and node together
    // No image of its own unless a test asks (WORKSPACE_IMAGE_BUILD: 'on'): the demo stays as the test sets it.
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      WORKSPACE_IMAGE_BUILD: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`labgate demo did not start in 30 s:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/\S+)\/simulator/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`labgate demo exited with ${code}:\n${output}`)));
  });
  return {
    url,
    dataDir,
    output: () => output,
    /** Kills npm, tsx and labgate at once, as `kill -9` does (a crash); the data folder stays. */
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`${dataDir}-workspaces`, { recursive: true, force: true });
    },
  };
}
