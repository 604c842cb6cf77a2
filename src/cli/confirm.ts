import { createInterface } from 'node:readline/promises';
import { complain } from './terminal-text.ts';

/**
 * Asks before something that cannot be undone. `--yes` answers for scripts; without a terminal (CI,
 * a pipe) and without `--yes`, nothing is done and the command says how to confirm.
 */
export async function confirmed(question: string, o: { yes?: boolean }): Promise<boolean> {
  if (o.yes) return true;
  if (!process.stdin.isTTY) {
    complain('labgate: nothing was changed: no terminal to confirm on; add --yes to confirm from a script.');
    process.exitCode = 2;
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} Type yes to go on: `);
    if (answer.trim().toLowerCase() === 'yes') return true;
    complain('labgate: nothing was changed.');
    process.exitCode = 2;
    return false;
  } finally {
    rl.close();
  }
}
