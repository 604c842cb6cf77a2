import { ConfigError } from './config.ts';
import { isAppError } from './errors.ts';
import { buildProgram } from './cli/program.ts';
import { complain } from './cli/terminal-text.ts';

/** Process entry: parse the command line, run the command, turn failures into one readable line. */
try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) {
    complain(`labgate: ${err.message}`);
    process.exit(2);
  }
  if (isAppError(err)) {
    complain(`labgate: ${err.message}`, ...(err.hint ? [err.hint] : []));
    process.exit(1);
  }
  complain(`labgate: ${(err as Error).message ?? String(err)}`);
  process.exit(1);
}
