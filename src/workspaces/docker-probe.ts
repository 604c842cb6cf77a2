import Docker from 'dockerode';
import { connectEngine, type EngineKind } from './docker-engine.ts';

/** What a socket said to the Docker API's `_ping`: nothing there, a dead socket, no right to it, or OK. */
export type SocketAnswer = 'answers' | 'missing' | 'refused' | 'denied' | 'silent';

export interface SocketProbe {
  socket: string;
  answer: SocketAnswer;
  kind?: EngineKind;
}

const answerOf = (err: unknown): SocketAnswer => {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
  if (code === 'ECONNREFUSED' || code === 'ENOTSOCK') return 'refused';
  if (code === 'EACCES' || code === 'EPERM') return 'denied';
  return 'silent';
};

/** Asks one socket `GET /_ping` (Docker and Podman's compatible API both answer `OK`), then which engine. */
export async function probeSocket(socket: string, timeoutMs = 3_000): Promise<SocketProbe> {
  try {
    const pong = await new Docker({ socketPath: socket, timeout: timeoutMs }).ping();
    if (String(pong).trim() !== 'OK') return { socket, answer: 'silent' };
    const kind = await connectEngine(socket)
      .kind()
      .catch(() => 'docker' as const);
    return { socket, answer: 'answers', kind };
  } catch (err) {
    return { socket, answer: answerOf(err) };
  }
}

/** Every candidate asked at once; the first in the given order that answers is the engine. */
export async function findEngine(sockets: string[]) {
  const probes = await Promise.all(sockets.map((s) => probeSocket(s)));
  return { found: probes.find((p) => p.answer === 'answers'), probes };
}
