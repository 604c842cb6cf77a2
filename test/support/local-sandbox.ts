import { spawn } from 'node:child_process';
import { agentCommand, connectAgent, type SandboxSession } from '../../src/workspaces/index.ts';

const open = new Set<SandboxSession>();

/**
 * labgate's sandbox agent run as a child process on a folder of the test machine: the same agent and
 * protocol as in a learner's container, for tests of git logic that need no container.
 */
export async function localSandbox(dir: string): Promise<SandboxSession> {
  const [command, ...args] = agentCommand(dir, 600);
  const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const session = await connectAgent({
    input: child.stdin,
    output: child.stdout,
    closed: () => exited,
    timeoutMs: 600_000,
  });
  open.add(session);
  return {
    ...session,
    close: async () => {
      open.delete(session);
      await session.close();
    },
  };
}

/** Ends every agent a test left running. */
export async function closeLocalSandboxes() {
  await Promise.all([...open].map((s) => s.close()));
  open.clear();
}
