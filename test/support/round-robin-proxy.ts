import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * The reverse proxy in front of labgate's replicas, as Caddy or Traefik do it: each request to the
 * next replica in turn, a replica that refuses connections skipped (and the request sent to another,
 * as `lb_try_duration` does), WebSockets passed through. It keeps which replica served what.
 */
export async function startRoundRobinProxy(backends: number[]) {
  let next = 0;
  /** What each replica answered (status 0: it refused the connection, and the next one was tried). */
  const served: Array<{ method: string; path: string; port: number; status: number }> = [];
  /** The replicas in the order this request tries them: the next one in turn first, then the others. */
  const order = () => {
    const first = next++ % backends.length;
    return [...backends.slice(first), ...backends.slice(0, first)];
  };

  const inFlight = new Set<string>();
  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, ports: number[]) {
    const [port, ...others] = ports as [number, ...number[]];
    const key = `${req.method} ${req.url} → ${port}`;
    inFlight.add(key);
    res.on('close', () => inFlight.delete(key));
    const upstream = request({
      host: '127.0.0.1',
      port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    });
    upstream.on('response', (answer) => {
      served.push({ method: req.method ?? '', path: req.url ?? '', port, status: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (res.headersSent) res.destroy();
      else if (err.code === 'ECONNREFUSED' && others.length) {
        served.push({ method: req.method ?? '', path: req.url ?? '', port, status: 0 }); // refused: next one
        forward(req, res, body, others);
      } else res.writeHead(502).end('no replica answered\n');
    });
    upstream.end(body);
  }

  function tunnel(req: IncomingMessage, socket: Duplex, head: Buffer, ports: number[]) {
    const [port, ...others] = ports as [number, ...number[]];
    const upstream = connect(port, '127.0.0.1', () => {
      let lines = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      upstream.write(`${lines}\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' && others.length) return tunnel(req, socket, head, others);
      socket.destroy();
    });
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), order()));
  });
  server.on('upgrade', (req, socket, head) => tunnel(req, socket, head, order()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    /** Requests sent on and not answered yet (for a test's failure message). */
    inFlight: () => [...inFlight],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
