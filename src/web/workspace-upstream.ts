import {
  Agent,
  request,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

/** A workspace's Jupyter server and the headers it should see (labgate's cookies out, its token in). */
export interface UpstreamCall {
  id: string;
  target: string;
  headers: OutgoingHttpHeaders;
}

// Per workspace: a browser opens 6 connections per origin, a few tabs more; past 64 requests wait their turn.
// Idle sockets close after a minute, well before Jupyter's (tornado's) hour, so none is reused as it closes.
const agentOptions = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: 60_000 } as const;

/** A request that may be sent twice: it changes nothing and carries no body (none was read from it). */
const bodiless = (req: IncomingMessage) =>
  (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') &&
  req.headers['content-length'] === undefined &&
  req.headers['transfer-encoding'] === undefined;

/**
 * Requests and WebSockets to the workspaces' Jupyter servers, written by hand on node:http (measured
 * against http-proxy and undici: README, "The workspace proxy"). HTTP goes over keep-alive connections,
 * one pool per workspace: its sockets go when it stops, and never carry another workspace's requests.
 */
export function createWorkspaceUpstream() {
  const pools = new Map<
    string,
    { target: string; host: string; port: number; authority: string; agent: Agent }
  >();
  /** The workspace's pool, its target parsed once; the call's Host header set to it (Host is set here). */
  function poolOf(call: UpstreamCall) {
    let pool = pools.get(call.id);
    if (pool?.target !== call.target) {
      pool?.agent.destroy(); // relaunched elsewhere: the old container's sockets are of no use
      const url = new URL(call.target);
      const port = Number(url.port || 80);
      pool = {
        target: call.target,
        host: url.hostname,
        port,
        authority: url.host,
        agent: new Agent(agentOptions),
      };
      pools.set(call.id, pool);
    }
    call.headers.host = pool.authority;
    return pool;
  }

  /** The request to the workspace and its answer back; `failed` when no answer came (nothing was sent yet). */
  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    call: UpstreamCall,
    failed: () => void,
    mayRetry = true,
  ) {
    const { agent, host, port } = poolOf(call);
    const upstream = request({ agent, host, port, method: req.method, path: req.url, headers: call.headers });
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      // pipe, not pipeline: pipeline's AbortController and AbortError took ~8% of a proxied request's CPU.
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else if (res.destroyed) return;
      // A kept-alive connection the workspace closed just as it was reused: once more, on a new one.
      else if (mayRetry && upstream.reusedSocket && bodiless(req)) forward(req, res, call, failed, false);
      else failed();
    });
    // A browser gone before the answer ended: that socket cannot go back to the pool half-read.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (bodiless(req)) upstream.end();
    else req.pipe(upstream);
  }

  /** The WebSocket's opening handshake to the workspace, then bytes both ways; returns how to close both. */
  function tunnel(req: IncomingMessage, socket: Duplex, head: Buffer, call: UpstreamCall) {
    const { host, port } = poolOf(call);
    const upstream = connect(port, host, () => {
      let lines = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (const [k, v] of Object.entries(call.headers))
        if (v !== undefined) for (const x of Array.isArray(v) ? v : [v]) lines += `${k}: ${x}\r\n`;
      upstream.write(`${lines}\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.setNoDelay(true);
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
    return close;
  }

  return {
    forward,
    tunnel,
    /** The workspace stopped: its connections close (requests under way end with a 502 or a cut). */
    drop(id: string) {
      pools.get(id)?.agent.destroy();
      pools.delete(id);
    },
    close() {
      for (const pool of pools.values()) pool.agent.destroy();
      pools.clear();
    },
  };
}

export type WorkspaceUpstream = ReturnType<typeof createWorkspaceUpstream>;
