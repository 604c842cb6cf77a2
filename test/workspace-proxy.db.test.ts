import { mkdtempSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspaceTraffic } from '../src/app/workspace-traffic.ts';
import { createWorkspaceLauncher, type WorkspaceLaunchDeps } from '../src/flows/index.ts';
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

// The proxy as app.ts builds it (buildWorkspaceTraffic) on the test app's stores, in front of a recording
// HTTP server standing in for a workspace's Jupyter server; the launcher's stops reach it as in the app.
let t: TestApp;
let jupyter: Server;
let front: Server;
let traffic: ReturnType<typeof buildWorkspaceTraffic>;
let launcher: ReturnType<typeof createWorkspaceLauncher>;
const upstreamSockets: Socket[] = [];
const seen: IncomingHttpHeaders[] = [];
const slow: Socket[] = [];
const servedOn = new WeakMap<Socket, number>();

function get(path: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: (front.address() as AddressInfo).port, path, headers: { cookie } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function learnerWithWorkspace(userId: string) {
  const res = await postLaunch(
    t,
    formEncode(signedLaunch(t, { params: learnerParams({ user_id: userId }) })),
  );
  const session = sessionCookieOf(res)!;
  const s = (await t.app.services.sessions.findSession(session))!;
  const id = `ws${userId}`;
  await t.app.services.workspaces.ensure({
    id,
    userId: s.userId,
    courseId: s.courseId!,
    assignment: 'ex1',
    provisioningId: 'p',
  });
  const target = `http://127.0.0.1:${(jupyter.address() as AddressInfo).port}`;
  await t.app.services.workspaces.update(id, { status: 'running', target });
  return { cookie: `labgate_session=${session}; _xsrf=kept`, session, id };
}

beforeAll(async () => {
  jupyter = createServer((req, res) => {
    seen.push(req.headers);
    if (req.url!.endsWith('/slow')) return void slow.push(req.socket); // answers never
    // A server closing a kept-alive connection just as a request arrives on it (idle timeouts do).
    const served = (servedOn.get(req.socket) ?? 0) + 1;
    servedOn.set(req.socket, served);
    if (req.url!.endsWith('/closes-reused') && served > 1) return void req.socket.destroy();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  jupyter.on('connection', (s: Socket) => upstreamSockets.push(s));
  await new Promise<void>((r) => jupyter.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-proxy-'));
  t = await startTestApp({
    env: {
      DATA_DIR: dir,
      WORKSPACES_ROOT: path.join(dir, 'workspaces'),
      DOCKER_SOCKET: path.join(dir, 'no-engine.sock'),
      WORKSPACE_IMAGE: 'labgate-notebook:test',
      FORGE_URL: 'https://gitlab.invalid',
      FORGE_TOKEN: 'not-a-real-token',
      WORKSPACE_HOST_PATTERN: 'off',
    },
  });
  traffic = buildWorkspaceTraffic({
    settings: t.config.workspaces!,
    services: t.app.services,
    publicBaseUrl: new URL(testBaseUrl),
    origins: undefined,
    log: { warn: () => {} },
    gitApi: async () => {},
  });
  // Only what a stop by the culler uses: the engine's stop is a no-op here.
  const stub = {} as never;
  launcher = createWorkspaceLauncher({
    forge: stub,
    provisioner: stub,
    sandbox: stub,
    spawner: { stop: async () => {} } as unknown as WorkspaceLaunchDeps['spawner'],
    workspaces: t.app.services.workspaces,
    settings: { image: 'x', allowedImages: [], limits: { memoryBytes: 1, cpus: 1, pids: 1 }, maxRunning: 1 },
  });
  traffic.watch(launcher);
  front = createServer((req, res) => void traffic.routing.request(req, res));
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  traffic?.close();
  await new Promise((r) => front?.close(r));
  await new Promise((r) => jupyter?.close(r));
  await t?.close();
});

describe('the workspace proxy', () => {
  it('sends requests over kept-alive connections, labgate’s cookie out and the token in', async () => {
    const ada = await learnerWithWorkspace('ada');
    const before = upstreamSockets.length;
    for (let n = 0; n < 20; n++)
      expect((await get(`/user/${ada.id}/api/status`, ada.cookie)).status).toBe(200);
    // 20 requests one after the other: one connection to the workspace, reused.
    expect(upstreamSockets.length - before).toBe(1);
    await Promise.all(Array.from({ length: 8 }, () => get(`/user/${ada.id}/api/status`, ada.cookie)));
    expect(upstreamSockets.length - before).toBeLessThanOrEqual(8);
    const last = seen.at(-1)!;
    expect(last.cookie).toBe('_xsrf=kept');
    expect(last.authorization).toMatch(/^token [0-9a-f]+$/);
  });

  it('closes the connection to the workspace when the browser leaves before the answer', async () => {
    const dee = await learnerWithWorkspace('dee');
    const req = httpRequest({
      host: '127.0.0.1',
      port: (front.address() as AddressInfo).port,
      path: `/user/${dee.id}/api/slow`,
      headers: { cookie: dee.cookie },
    });
    req.on('error', () => {});
    req.end();
    await expect.poll(() => slow.length).toBe(1);
    req.destroy();
    // Not left busy in the pool (64 such and the workspace would answer nobody).
    await expect.poll(() => slow[0]!.destroyed).toBe(true);
  });

  it('sends a GET again on a new connection when the kept-alive one was closed as it was reused', async () => {
    const fay = await learnerWithWorkspace('fay');
    expect((await get(`/user/${fay.id}/api/status`, fay.cookie)).status).toBe(200);
    const before = upstreamSockets.length;
    const again = await get(`/user/${fay.id}/api/closes-reused`, fay.cookie);
    expect(again.status).toBe(200); // not a 502 for a race the learner cannot see
    expect(upstreamSockets.length - before).toBe(1);
  });

  it('refuses a request right after sign-out, though the session was kept a moment before', async () => {
    const bea = await learnerWithWorkspace('bea');
    expect((await get(`/user/${bea.id}/api/status`, bea.cookie)).status).toBe(200);
    const csrf = (await t.app.services.sessions.findSession(bea.session))!.csrfToken;
    const out = await t.app.server.inject({
      method: 'POST',
      url: '/sign-out',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: testBaseUrl },
      cookies: { labgate_session: bea.session },
      payload: `_csrf=${encodeURIComponent(csrf)}`,
    });
    expect(out.statusCode).toBe(303);
    expect((await get(`/user/${bea.id}/api/status`, bea.cookie)).status).toBe(401);
  });

  it('answers 503 right after the workspace stops, and closes its kept-alive connections', async () => {
    const cy = await learnerWithWorkspace('cy');
    expect((await get(`/user/${cy.id}/api/status`, cy.cookie)).status).toBe(200);
    const kept = upstreamSockets.at(-1)!;
    expect(kept.destroyed).toBe(false);
    await launcher.cullIdle(Date.now() + 60_000);
    expect((await t.app.services.workspaces.find(cy.id))!.status).toBe('stopped');
    const after = await get(`/user/${cy.id}/api/status`, cy.cookie);
    expect(after.status).toBe(503);
    expect(after.body).toContain('not running');
    await expect.poll(() => kept.destroyed).toBe(true);
  });
});
