import { z } from 'zod';

// The driver runs beside the learner's code: every line it sends is parsed like hostile input.
const error = z.object({ ename: z.string().max(400), evalue: z.string().max(4_000) });
const seen = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error }),
]);
const tested = z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error })]);
const stop = z.object({
  id: z.number().int(),
  block: z.number().int(),
  outputs: z.object({ stdout: z.string(), stderr: z.string(), result: z.string(), error: error.nullable() }),
  values: z.array(seen.nullable()),
  tests: z.array(tested.nullable()),
});
const notRun = z.object({
  reason: z.enum(['timeout', 'kernel-died', 'missing-block', 'sandbox-failed', 'output-limit']),
  message: z.string().max(2_000),
  block: z.number().int(),
});
const line = z.union([
  z.object({ stop, path: z.string() }),
  z.object({ file: z.object({ path: z.string(), notRun: notRun.nullable() }) }),
  z.object({ done: z.literal(true), seconds: z.number() }),
  z.object({ failed: z.string().max(2_000) }),
]);

export type StopSeen = z.infer<typeof stop>;
export interface DriverAnswer {
  stops: Map<number, StopSeen>;
  /** Files the driver finished, with why it stopped early in them (null: it did not). */
  files: Map<string, z.infer<typeof notRun> | null>;
  done: boolean;
  failed: string | undefined;
}

/** What the driver sent before it ended, line by line: a cut or forged line ends the reading. */
export function parseDriverAnswer(stdout: Buffer): DriverAnswer {
  const answer: DriverAnswer = { stops: new Map(), files: new Map(), done: false, failed: undefined };
  for (const text of stdout.toString('utf8').split('\n')) {
    if (!text.trim()) continue;
    let parsed;
    try {
      parsed = line.safeParse(JSON.parse(text));
    } catch {
      break; // not JSON, or nested beyond what the parser takes
    }
    if (!parsed.success) break;
    const l = parsed.data;
    if ('stop' in l) answer.stops.set(l.stop.id, l.stop);
    else if ('file' in l) answer.files.set(l.file.path, l.file.notRun);
    else if ('done' in l) answer.done = true;
    else answer.failed = l.failed;
  }
  return answer;
}
