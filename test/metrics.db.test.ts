import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestGitlab } from './support/gitlab-lite.ts';
import { metricsToken, startMetricsApp } from './support/metrics-rig.ts';
import { parseScrape } from './support/prometheus-scrape.ts';
import {
  formEncode,
  learnerParams,
  postLaunch,
  sessionCookieOf,
  signedLaunch,
  startTestApp,
  testBaseUrl,
  type TestApp,
} from './support/test-app.ts';

// The real app on gitlab-lite with workspaces on an engine that is not there: launches fail at the
// container (a launch outcome all the same), while forks are made; a recording server stands in for a
// running workspace's Jupyter, reached through the real proxy on a listening port.
let rig: Awaited<ReturnType<typeof startMetricsApp>>;
let gitlab: TestGitlab;
let t: TestApp;
let jupyter: Server;
let port: number;
const upstreamSockets: Socket[] = [];

const scrape = async (authorization = `Bearer ${metricsToken}`) => {
  const res = await t.app.server.inject({ method: 'GET', url: '/metrics', headers: { authorization } });
  expect(res.statusCode).toBe(200);
  return parseScrape(res.payload);
};

beforeAll(async () => {
  jupyter = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  jupyter.on('upgrade', (_req, socket: Socket) => {
    upstreamSockets.push(socket);
    socket.on('end', () => socket.end()); // as a WebSocket server does when the browser goes
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  });
  await new Promise<void>((r) => jupyter.listen(0, '127.0.0.1', r));
  rig = await startMetricsApp((dir) => ({
    DOCKER_SOCKET: path.join(dir, 'no-engine.sock'),
    WORKSPACE_IMAGE: 'labgate-notebook:test',
  }));
  ({ gitlab, t } = rig);
  port = (t.app.server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of upstreamSockets) s.destroy();
  await rig?.close();
  await new Promise((r) => jupyter?.close(r));
});

/** A learner's launch of ex1 from the LMS; resolves with their session and workspace id. */
async function launch(userId: string) {
  const res = await postLaunch(
    t,
    formEncode(signedLaunch(t, { params: learnerParams({ user_id: userId, custom_assignment: 'ex1' }) })),
  );
  expect(res.statusCode).toBe(303);
  const session = sessionCookieOf(res)!;
  const { userId: labgateUser } = (await t.app.services.sessions.findSession(session))!;
  const ws = await t.db
    .selectFrom('workspaces')
    .select('id')
    .where('user_id', '=', labgateUser)
    .executeTakeFirstOrThrow();
  return { session, workspaceId: ws.id };
}

/** A request through the listening server (the proxy answers before fastify, so inject cannot). */
function send(o: { method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: o.method ?? 'GET', path: o.path, headers: o.headers },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** A WebSocket handshake through the proxy: the open socket, or the refusal's status. */
function upgrade(pathname: string, headers: Record<string, string>) {
  return new Promise<{ socket?: Socket; status: number }>((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path: pathname,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      },
    });
    req.on('upgrade', (_res, socket) => resolve({ socket, status: 101 }));
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/metrics', () => {
  it('is answered only with the bearer token: 401 without one or with a wrong one, and never echoes it', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token-0123456789',
      `Basic ${metricsToken}`,
      metricsToken,
    ]) {
      const res = await t.app.server.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.payload).not.toContain(metricsToken);
      expect(res.payload).not.toMatch(/labgate_/);
    }
    const ok = await t.app.server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `bearer  ${metricsToken}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('is a valid Prometheus text exposition, with Node’s process metrics and labgate’s, each described', async () => {
    const m = await scrape();
    const names = m.families.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of m.families) expect(f.help, f.name).not.toBe('');
    expect(names).toEqual(
      expect.arrayContaining(['process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds']),
    );
    expect(m.family('labgate_workspace_ready_seconds')?.type).toBe('HISTOGRAM');
    expect(m.family('labgate_workspace_launches_total')?.type).toBe('COUNTER');
    expect(m.family('labgate_passback_outbox_grades')?.type).toBe('GAUGE');
    expect(m.value('labgate_passback_outbox_grades', { state: 'pending' })).toBe(0);
    expect(m.value('labgate_grading_jobs', { state: 'queued' })).toBe(0);
  });

  it('moves with a launch: the fork’s jobs, GitLab’s requests (a 502 among them) and the failed container', async () => {
    const before = await scrape();
    gitlab.lite.knobs.badGatewayNext = 1;
    await launch('camille');
    // The engine is missing: the launch fails at the container; the fork is made all the same.
    await vi.waitFor(
      async () => {
        const m = await scrape();
        expect(m.value('labgate_workspace_launches_total', { outcome: 'failed' })).toBe(
          before.value('labgate_workspace_launches_total', { outcome: 'failed' }) + 1,
        );
        expect(m.value('labgate_provisioning_jobs', { state: 'done' })).toBeGreaterThanOrEqual(1);
      },
      { timeout: 20_000, interval: 200 },
    );
    const after = await scrape();
    expect(after.value('labgate_provisioning_jobs_finished_total', { outcome: 'done' })).toBeGreaterThan(
      before.value('labgate_provisioning_jobs_finished_total', { outcome: 'done' }),
    );
    expect(after.value('labgate_workspace_launches_total', { outcome: 'ready' })).toBe(0);
    expect(after.value('labgate_workspace_launches_in_progress')).toBe(0);
    expect(after.value('labgate_forge_requests_total', { status: '502' })).toBe(1);
    expect(after.value('labgate_forge_requests_total', { method: 'POST', status: '201' })).toBeGreaterThan(0);
    expect(
      after.histogram('labgate_forge_request_duration_seconds', { resource: 'projects' }).count,
    ).toBeGreaterThan(
      before.histogram('labgate_forge_request_duration_seconds', { resource: 'projects' }).count,
    );
  });

  it('counts the proxy’s requests and WebSockets, and the git buttons by outcome', async () => {
    const { session, workspaceId } = await launch('dominique');
    // Its launch fails (no engine); then it is made running on the recording server, as a launch would.
    await vi.waitFor(async () =>
      expect((await t.app.services.workspaces.find(workspaceId))?.status).toBe('failed'),
    );
    const target = `http://127.0.0.1:${(jupyter.address() as AddressInfo).port}`;
    await t.app.services.workspaces.update(workspaceId, { status: 'running', target });
    const before = await scrape();
    const cookie = `labgate_session=${session}`;
    const base = `/user/${workspaceId}`;
    expect(await send({ path: `${base}/api/status`, headers: { cookie } })).toBe(200);
    expect(await send({ path: `${base}/api/status` })).toBe(401);
    const refused = await upgrade(`${base}/api/kernels/k/channels`, { origin: testBaseUrl });
    expect(refused.status).toBe(401);
    const opened = await upgrade(`${base}/api/kernels/k/channels`, { origin: testBaseUrl, cookie });
    expect(opened.status).toBe(101);
    // The git button runs in the learner's sandbox, on the engine that is not there: it fails, counted.
    const git = await send({
      method: 'POST',
      path: `${base}/git-api/status`,
      headers: { cookie, origin: testBaseUrl, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(git).toBeGreaterThanOrEqual(500);
    // A request is counted once its response has closed on the server's side.
    await vi.waitFor(async () => {
      const m = await scrape();
      for (const code of ['2xx', '4xx', '5xx'])
        expect(m.value('labgate_proxy_requests_total', { code }), code).toBe(
          before.value('labgate_proxy_requests_total', { code }) + 1,
        );
    });
    const during = await scrape();
    const moved = (name: string, labels: Record<string, string>) =>
      during.value(name, labels) - before.value(name, labels);
    expect(moved('labgate_proxy_websocket_connections_total', { outcome: 'refused' })).toBe(1);
    expect(moved('labgate_proxy_websocket_connections_total', { outcome: 'opened' })).toBe(1);
    expect(during.value('labgate_proxy_websockets_open')).toBe(1);
    expect(moved('labgate_git_operations_total', { operation: 'status', outcome: 'failed' })).toBe(1);
    expect(during.histogram('labgate_git_operation_duration_seconds', { operation: 'status' }).count).toBe(1);
    expect(during.value('labgate_workspaces_running')).toBeGreaterThanOrEqual(1);
    opened.socket!.destroy();
    await vi.waitFor(async () => expect((await scrape()).value('labgate_proxy_websockets_open')).toBe(0));
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  it('does not exist (404), whatever the request carries', async () => {
    const off = await startTestApp();
    try {
      const res = await off.app.server.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer x' },
      });
      expect(res.statusCode).toBe(404);
      expect((await off.app.server.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await off.close();
    }
  });
});
