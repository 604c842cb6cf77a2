/**
 * The load and the WebSocket client of bench/proxy.ts, one task per process (forked with
 * --experimental-websocket: Node 20's WebSocket): its CPU is not labgate's, as a browser's is not.
 * Both ways are measured in alternating slices, so the machine's other work weighs on both alike.
 */
import { Agent, request } from 'node:http';

export interface Way {
  url: string;
  headers: Record<string, string>;
}

export type ClientTask =
  | { kind: 'http'; ways: [Way, Way]; seconds: number; concurrency: number }
  | { kind: 'kernel'; ways: [Way, Way]; messages: number };

const sliceMs = 500;
const batch = 50;

/** Requests per second each way, `concurrency` at a time on keep-alive connections, each answered 200. */
async function requestsPerSecond(t: Extract<ClientTask, { kind: 'http' }>) {
  const ways = t.ways.map((w) => ({
    ...w,
    at: new URL(w.url),
    agent: new Agent({ keepAlive: true }),
    count: 0,
  }));
  const once = (w: (typeof ways)[number]) =>
    new Promise<void>((resolve, reject) => {
      const { hostname, port, pathname, search } = w.at;
      const req = request(
        { agent: w.agent, host: hostname, port, path: pathname + search, headers: w.headers },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`${w.url} answered ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  const slices = Math.max(1, Math.round((t.seconds * 1000) / sliceMs));
  for (let n = 0; n < slices; n++)
    for (const w of ways) {
      const until = performance.now() + sliceMs;
      await Promise.all(
        Array.from({ length: t.concurrency }, async () => {
          while (performance.now() < until) {
            await once(w);
            w.count++;
          }
        }),
      );
    }
  for (const w of ways) w.agent.destroy();
  return ways.map((w) => w.count / ((slices * sliceMs) / 1000));
}

/** Round trips of `kernel_info_request` → `kernel_info_reply` on a kernel's channels, one at a time (ms). */
async function kernelRoundTrips(t: Extract<ClientTask, { kind: 'kernel' }>) {
  const session = crypto.randomUUID();
  const sockets = await Promise.all(
    t.ways.map(async (w) => {
      const ws = new WebSocket(w.url, { headers: w.headers } as unknown as string[]);
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = () => reject(new Error(`the WebSocket ${w.url} did not open`));
      });
      return ws;
    }),
  );
  let n = 0;
  const ask = (ws: WebSocket) =>
    new Promise<number>((resolve) => {
      const msgId = `${session}-${n++}`;
      const started = performance.now();
      ws.onmessage = (e: MessageEvent) => {
        const m = JSON.parse(String(e.data)) as { channel: string; parent_header?: { msg_id?: string } };
        if (m.channel === 'shell' && m.parent_header?.msg_id === msgId) resolve(performance.now() - started);
      };
      ws.send(
        JSON.stringify({
          channel: 'shell',
          header: {
            msg_id: msgId,
            msg_type: 'kernel_info_request',
            session,
            username: 'bench',
            version: '5.3',
          },
          parent_header: {},
          metadata: {},
          content: {},
          buffers: [],
        }),
      );
    });
  for (const ws of sockets) for (let k = 0; k < 20; k++) await ask(ws); // warm-up
  const times: [number[], number[]] = [[], []];
  while (times[0].length < t.messages)
    for (const [i, ws] of sockets.entries())
      for (let k = 0; k < Math.min(batch, t.messages - times[i]!.length); k++) times[i]!.push(await ask(ws));
  for (const ws of sockets) ws.close();
  return times;
}

process.once('message', (task: ClientTask) => {
  const run = task.kind === 'http' ? requestsPerSecond(task) : kernelRoundTrips(task);
  void run.then((result) => process.send!(result, () => process.exit(0)));
});
