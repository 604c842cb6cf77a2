import { ConfigError } from './config.ts';
import { isAppError } from './errors.ts';
import { buildProgram } from './cli/program.ts';

/** Process entry: parse the command line, run the command, turn failures into one readable line. */
try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`labgate: ${err.message}`);
    process.exit(2);
  }
  if (isAppError(err)) {
    console.error(`labgate: ${err.message}${err.hint ? `\n${err.hint}` : ''}`);
    process.exit(1);
  }
  console.error(`labgate: ${(err as Error).message ?? String(err)}`);
  process.exit(1);
}
