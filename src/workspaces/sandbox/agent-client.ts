import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { sandboxErrors } from './sandbox-errors.ts';
import type { DiskUsage, FileInfo, RunOptions, RunResult, SandboxSession } from './sandbox.ts';

/** The agent's source, handed to `python3 -c` in the sandbox (nothing is copied into the container). */
export const agentSource = readFileSync(new URL('./sandbox-agent.py', import.meta.url), 'utf8');

/** The command that starts the agent on `folder`, killed after `seconds` whatever it does. */
export const agentCommand = (folder: string, seconds: number) => [
  'timeout',
  '-s',
  'KILL',
  String(seconds),
  'python3',
  '-I',
  '-S',
  '-c',
  agentSource,
  folder,
];

const maxHeaderBytes = 1024 * 1024;
const maxPayloadBytes = 1024 * 1024 * 1024;

// The agent runs where the learner can tamper with it: everything it says is checked, nothing trusted.
const header = z.object({ bytes: z.number().int().min(0).max(maxPayloadBytes) }).passthrough();
const refusal = z.object({ ok: z.literal(false), code: z.string().max(64), error: z.string().max(2_000) });
const answers = {
  ready: z.object({ ready: z.literal(true) }),
  run: z.object({
    code: z.number().int().nullable(),
    stderr: z.string(),
    truncated: z.boolean(),
    timedOut: z.boolean(),
  }),
  read: z.object({ found: z.boolean() }),
  write: z.object({}),
  stat: z.union([
    z.object({ found: z.literal(false) }),
    z.object({ found: z.literal(true), type: z.enum(['file', 'dir', 'link', 'other']), size: z.number() }),
  ]),
  rename: z.object({}),
  list: z.object({ names: z.array(z.string()).max(1_000_000) }),
  usage: z.object({
    usedBytes: z.number().min(0),
    fsBytes: z.number().min(0),
    fsFreeBytes: z.number().min(0),
    biggest: z.array(z.object({ path: z.string(), bytes: z.number().min(0) })).max(100),
  }),
};

interface Frame {
  head: Record<string, unknown>;
  payload: Buffer;
}

/** Splits the agent's output into frames: a JSON line, then the number of raw bytes it announces. */
function frameReader(output: Readable, onFrame: (f: Frame) => void, onEnd: (why: string) => void) {
  let buffered: Buffer = Buffer.alloc(0);
  let pending: { head: Record<string, unknown>; bytes: number } | undefined;
  let ended = false;
  const end = (why: string) => {
    if (ended) return;
    ended = true;
    output.destroy();
    onEnd(why);
  };
  output.on('data', (chunk: Buffer) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    for (;;) {
      if (!pending) {
        const nl = buffered.indexOf(10);
        if (nl < 0) return void (buffered.length > maxHeaderBytes && end('an oversized answer'));
        let parsed: z.infer<typeof header>;
        try {
          parsed = header.parse(JSON.parse(buffered.subarray(0, nl).toString('utf8')));
        } catch {
          return end('an answer that is not the agent’s');
        }
        pending = { head: parsed, bytes: parsed.bytes };
        buffered = buffered.subarray(nl + 1);
      }
      if (buffered.length < pending.bytes) return;
      onFrame({ head: pending.head, payload: Buffer.from(buffered.subarray(0, pending.bytes)) });
      buffered = buffered.subarray(pending.bytes);
      pending = undefined;
    }
  });
  output.on('end', () => end('the sandbox ended'));
  output.on('error', (err: Error) => end(err.message));
}

/**
 * A SandboxSession speaking to the agent over its stdin and stdout (an exec stream or a child
 * process). One request at a time; `close` ends the agent's input and waits for `closed`.
 */
export async function connectAgent(o: {
  input: Writable;
  output: Readable;
  closed: () => Promise<void>;
  timeoutMs: number;
}): Promise<SandboxSession> {
  const waiting: Array<{ resolve: (f: Frame) => void; reject: (e: Error) => void }> = [];
  let failure: Error | undefined;
  frameReader(
    o.output,
    (frame) => waiting.shift()?.resolve(frame),
    (why) => {
      failure = sandboxErrors.ended(why);
      for (const w of waiting.splice(0)) w.reject(failure);
    },
  );
  const next = () =>
    new Promise<Frame>((resolve, reject) => (failure ? reject(failure) : waiting.push({ resolve, reject })));
  const ready = next();
  const timer = setTimeout(() => o.output.destroy(new Error('the sandbox took too long')), o.timeoutMs);
  timer.unref();
  answers.ready.parse((await ready).head);

  let queue: Promise<unknown> = Promise.resolve();
  let id = 0;
  function call<T extends keyof typeof answers>(op: T, fields: Record<string, unknown>, payload?: Buffer) {
    const task = queue.then(async () => {
      if (failure) throw failure;
      const body = payload ?? Buffer.alloc(0);
      const answer = next();
      o.input.write(`${JSON.stringify({ ...fields, op, id: ++id, bytes: body.length })}\n`);
      if (body.length) o.input.write(body);
      const frame = await answer;
      const refused = refusal.safeParse(frame.head);
      if (refused.success) throw sandboxErrors.refused(op, refused.data.code, refused.data.error);
      const parsed = answers[op].safeParse(frame.head);
      if (!parsed.success) throw sandboxErrors.ended('an answer that is not the agent’s');
      return { head: parsed.data as z.infer<(typeof answers)[T]>, payload: frame.payload };
    });
    queue = task.catch(() => {});
    return task;
  }

  return {
    async run(argv: string[], r: RunOptions = {}): Promise<RunResult> {
      const { head, payload } = await call(
        'run',
        {
          argv,
          env: r.env ?? {},
          cwd: r.cwd ?? '.',
          timeout: (r.timeoutMs ?? 120_000) / 1000,
          max: r.maxOutputBytes ?? 64 * 1024 * 1024,
          ...(r.fileSizeLimitBytes ? { fsize: r.fileSizeLimitBytes } : {}),
        },
        r.stdin,
      );
      return {
        code: head.code ?? -1,
        stdout: payload,
        stderr: head.stderr,
        truncated: head.truncated,
        timedOut: head.timedOut,
      };
    },
    async read(path: string, maxBytes: number) {
      const { head, payload } = await call('read', { path, max: maxBytes });
      return head.found ? payload : undefined;
    },
    async write(path: string, data: Buffer | string) {
      await call('write', { path }, typeof data === 'string' ? Buffer.from(data) : data);
    },
    async stat(path: string): Promise<FileInfo | undefined> {
      const { head } = await call('stat', { path });
      return head.found ? { type: head.type, size: head.size } : undefined;
    },
    async rename(from: string, to: string) {
      await call('rename', { from, to });
    },
    async list(path = '.') {
      return (await call('list', { path })).head.names;
    },
    async usage(): Promise<DiskUsage> {
      return (await call('usage', { top: 5 })).head;
    },
    forgeUrl: (url: string) => url,
    async close() {
      clearTimeout(timer);
      await queue;
      o.input.end();
      await o.closed();
    },
  };
}
