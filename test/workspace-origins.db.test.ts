import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest, createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashState } from '../src/identity/index.ts';
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

// labgate is https://labgate.test; workspace <id> is https://<id>.ws.test. Node cannot resolve these
// names, so every request goes to 127.0.0.1 with the Host header a browser would send.
const pattern = '{id}.ws.test';
// Workspaces on; no engine is reached (the "containers" here are a recording HTTP server).
const workspaceEnv = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-origins-'));
  return {
    DATA_DIR: dir,
    WORKSPACES_ROOT: path.join(dir, 'workspaces'),
    DOCKER_SOCKET: path.join(dir, 'no-engine.sock'),
    WORKSPACE_IMAGE: 'labgate-notebook:test',
    FORGE_URL: 'https://gitlab.invalid',
    FORGE_TOKEN: 'not-a-real-token',
  };
};
const wsOrigin = (id: string) => `https://${id}.ws.test`;
const labgateHost = new URL(testBaseUrl).host;

let t: TestApp;
let port = 0;
let clock = Date.now();
let jupyter: Server;
const seenByJupyter: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(
  host: string,
  path: string,
  o: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers: { host, ...o.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** A WebSocket opening handshake; resolves with the status the server answered (101 when it opened). */
function openSocket(host: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        host,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? resolve(0) : reject(err)));
    req.end();
  });
}

const setCookies = (a: Answer) => (a.headers['set-cookie'] ?? []) as string[];
const cookieOf = (a: Answer, name: string) =>
  setCookies(a)
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]!
    .slice(name.length + 1);

async function launch(userId: string, roles = 'Learner') {
  const res = await postLaunch(
    t,
    formEncode(signedLaunch(t, { params: learnerParams({ user_id: userId, roles }) })),
  );
  const session = sessionCookieOf(res)!;
  const s = (await t.app.services.sessions.findSession(session))!;
  return { session, userId: s.userId, courseId: s.courseId! };
}

/** A running workspace whose "container" is the recording server below. */
async function workspaceOf(who: { userId: string; courseId: string }) {
  const id = randomBytes(10).toString('hex');
  await t.app.services.workspaces.ensure({
    id,
    userId: who.userId,
    courseId: who.courseId,
    assignment: 'ex1',
    provisioningId: 'p',
  });
  const target = `http://127.0.0.1:${(jupyter.address() as AddressInfo).port}`;
  return (await t.app.services.workspaces.update(id, { status: 'running', target })).id;
}

/** The whole entry, as a browser does it: returns the workspace origin's pass cookie. */
async function enter(id: string, session: string, page = `/user/${id}/lab`) {
  const start = await send(`${id}.ws.test`, page, { headers: { 'sec-fetch-mode': 'navigate' } });
  const state = cookieOf(start, '__Host-labgate_ws_state')!;
  const asked = new URL(start.headers.location!);
  const issued = await send(labgateHost, asked.pathname + asked.search, {
    headers: { cookie: `labgate_session=${session}`, 'sec-fetch-mode': 'navigate' },
  });
  const code = new URL(issued.headers.location!);
  const entered = await send(`${id}.ws.test`, code.pathname + code.search, {
    headers: { cookie: `__Host-labgate_ws_state=${state}` },
  });
  return { start, state, issued, code, entered, pass: cookieOf(entered, '__Host-labgate_ws') };
}

let learner: Awaited<ReturnType<typeof launch>>;
let other: Awaited<ReturnType<typeof launch>>;
let teacher: Awaited<ReturnType<typeof launch>>;
let wsA = '';
let wsB = '';

beforeAll(async () => {
  jupyter = createServer((req, res) => {
    seenByJupyter.push({ method: req.method!, url: req.url!, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ content: [{ name: 'secret.ipynb' }] }));
  });
  jupyter.on('upgrade', (req, socket) => {
    seenByJupyter.push({ method: 'UPGRADE', url: req.url!, headers: req.headers });
    socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  });
  await new Promise<void>((r) => jupyter.listen(0, '127.0.0.1', r));
  t = await startTestApp({
    now: () => clock,
    env: {
      ...workspaceEnv(),
      WORKSPACE_TEACHER_ACCESS: 'on',
      WORKSPACE_HOST_PATTERN: pattern,
    },
  });
  await t.app.server.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.server.address() as AddressInfo).port;
  learner = await launch('ada');
  other = await launch('eve');
  teacher = await launch('prof', 'Instructor');
  wsA = await workspaceOf(learner);
  wsB = await workspaceOf(other);
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => jupyter?.close(r));
});

describe('a workspace on its own origin (WORKSPACE_HOST_PATTERN)', () => {
  it('enters through a one-time code: labgate’s origin → the workspace’s origin → its own cookie', async () => {
    const bounce = await send(labgateHost, `/user/${wsA}/lab?reset`, {
      headers: { cookie: `labgate_session=${learner.session}` },
    });
    expect(bounce.status).toBe(303);
    expect(bounce.headers.location).toBe(`${wsOrigin(wsA)}/user/${wsA}/lab?reset`);

    const { start, state, issued, code, entered, pass } = await enter(wsA, learner.session);
    expect(start.status).toBe(303);
    const asked = new URL(start.headers.location!);
    expect(asked.origin + asked.pathname).toBe(`${testBaseUrl}/workspaces/${wsA}/enter`);
    // labgate's origin (and its logs) see a hash of the state cookie, never the cookie.
    expect(Object.fromEntries(asked.searchParams)).toEqual({
      state: hashState(state),
      next: `/user/${wsA}/lab`,
    });
    expect(issued.status).toBe(303);
    expect(code.origin + code.pathname).toBe(`${wsOrigin(wsA)}/_labgate/enter`);
    expect(code.searchParams.get('next')).toBe(`/user/${wsA}/lab`);
    expect(entered.status).toBe(303);
    expect(entered.headers.location).toBe(`/user/${wsA}/lab`);
    // Host-only, HttpOnly, Secure with the __Host- prefix, Lax; lives as long as the session.
    const set = setCookies(entered).find((c) => c.startsWith('__Host-labgate_ws='))!;
    expect(set).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    expect(set).not.toMatch(/domain/i);
    expect(Number(/Max-Age=(\d+)/.exec(set)![1])).toBeGreaterThan(11 * 3600);

    seenByJupyter.length = 0;
    const files = await send(`${wsA}.ws.test`, `/user/${wsA}/api/contents`, {
      headers: { cookie: `__Host-labgate_ws=${pass}; __Host-labgate_ws_state=${state}; theirs=1` },
    });
    expect(files.status).toBe(200);
    const [seen] = seenByJupyter;
    const ws = (await t.app.services.workspaces.find(wsA))!;
    expect(seen!.headers.authorization).toBe(`token ${ws.token}`);
    expect(seen!.headers.cookie).toBe('theirs=1');
  });

  it('hands a code only for a page of that workspace, checked once the path is normalized', async () => {
    const state = hashState('s'.repeat(43));
    for (const next of [`/user/${wsA}/../${wsB}/lab`, `/user/${wsA}/\t/x`, `/user/${wsA}/\\x`]) {
      const res = await send(
        labgateHost,
        `/workspaces/${wsA}/enter?${new URLSearchParams({ state, next })}`,
        { headers: { cookie: `labgate_session=${learner.session}` } },
      );
      expect(res.status, next).toBe(400);
    }
  });

  it('refuses a code used twice, an expired code, and a code redeemed in another browser', async () => {
    const first = await enter(wsA, learner.session);
    const again = await send(`${wsA}.ws.test`, first.code.pathname + first.code.search, {
      headers: { cookie: `__Host-labgate_ws_state=${first.state}`, 'accept-language': 'fr' },
    });
    expect(again.status).toBe(403);
    expect(setCookies(again)).toEqual([]);
    expect(again.body).toContain('Ce lien vers votre espace a déjà servi ou a expiré');
    expect(again.body).toContain(`href="/user/${wsA}/lab"`);

    // Expired: a minute and a second between labgate's redirect and the workspace's answer.
    const start = await send(`${wsA}.ws.test`, `/user/${wsA}/lab`, { headers: { accept: 'text/html' } });
    const state = cookieOf(start, '__Host-labgate_ws_state')!;
    const asked = new URL(start.headers.location!);
    const issue = () =>
      send(labgateHost, asked.pathname + asked.search, {
        headers: { cookie: `labgate_session=${learner.session}` },
      }).then((a) => new URL(a.headers.location!));
    const late = await issue();
    clock += 61_000;
    const redeemLate = await send(`${wsA}.ws.test`, late.pathname + late.search, {
      headers: { cookie: `__Host-labgate_ws_state=${state}` },
    });
    expect(redeemLate.status).toBe(403);

    // Another browser (no state cookie, or its own): the code was issued to this one's state only.
    const code = await issue();
    const elsewhere = await send(`${wsA}.ws.test`, code.pathname + code.search);
    expect(elsewhere.status).toBe(403);
    const otherState = randomBytes(32).toString('base64url');
    const withOtherState = await send(`${wsA}.ws.test`, code.pathname + code.search, {
      headers: { cookie: `__Host-labgate_ws_state=${otherState}` },
    });
    expect(withOtherState.status).toBe(403);
    // The same code on another workspace's origin is refused too.
    const onB = await send(`${wsB}.ws.test`, code.pathname + code.search, {
      headers: { cookie: `__Host-labgate_ws_state=${state}` },
    });
    expect(onB.status).toBe(403);
    // …and still works once, where it belongs.
    const right = await send(`${wsA}.ws.test`, code.pathname + code.search, {
      headers: { cookie: `__Host-labgate_ws_state=${state}` },
    });
    expect(right.status).toBe(303);
  });

  it('ties the code and the cookie to the session: signed out before or after, refused', async () => {
    const s = await launch('ada');
    const csrf = (await t.app.services.sessions.findSession(s.session))!.csrfToken;
    const start = await send(`${wsA}.ws.test`, `/user/${wsA}/tree`, {
      headers: { 'sec-fetch-mode': 'navigate' },
    });
    const state = cookieOf(start, '__Host-labgate_ws_state')!;
    const asked = new URL(start.headers.location!);
    const issued = await send(labgateHost, asked.pathname + asked.search, {
      headers: { cookie: `labgate_session=${s.session}` },
    });
    const { pass } = await enter(wsA, s.session);
    const read = () =>
      send(`${wsA}.ws.test`, `/user/${wsA}/api/contents`, {
        headers: { cookie: `__Host-labgate_ws=${pass}` },
      });
    expect((await read()).status).toBe(200);

    const out = await t.app.server.inject({
      method: 'POST',
      url: '/logout',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: testBaseUrl },
      cookies: { labgate_session: s.session },
      payload: `_csrf=${encodeURIComponent(csrf)}`,
    });
    expect(out.statusCode).toBe(303);
    expect((await read()).status).toBe(401);
    const code = new URL(issued.headers.location!);
    const redeemed = await send(`${wsA}.ws.test`, code.pathname + code.search, {
      headers: { cookie: `__Host-labgate_ws_state=${state}` },
    });
    expect(redeemed.status).toBe(403);
    // The sweeper forgets passes whose session ended.
    const passes = () => t.db.selectFrom('workspace_passes').select('id').execute();
    const before = (await passes()).length;
    expect(await t.app.services.workspacePasses.forgetStalePasses()).toBeGreaterThan(0);
    expect((await passes()).length).toBeLessThan(before);
    // A page opened later starts a new entry instead.
    const page = await send(`${wsA}.ws.test`, `/user/${wsA}/lab`, {
      headers: { cookie: `__Host-labgate_ws=${pass}`, 'sec-fetch-mode': 'navigate' },
    });
    expect(page.status).toBe(303);
    expect(page.headers.location).toMatch(new RegExp(`^${testBaseUrl}/workspaces/${wsA}/enter\\?`));
  });

  it('scopes the cookie to its workspace; labgate’s own cookie opens nothing there', async () => {
    const { pass } = await enter(wsA, learner.session);
    const onB = await send(`${wsB}.ws.test`, `/user/${wsB}/api/contents`, {
      headers: { cookie: `__Host-labgate_ws=${pass}` },
    });
    expect(onB.status).toBe(401);
    const bPathOnA = await send(`${wsA}.ws.test`, `/user/${wsB}/api/contents`, {
      headers: { cookie: `__Host-labgate_ws=${pass}` },
    });
    expect(bPathOnA.status).toBe(403);
    const bKernelOnA = await send(`${wsA}.ws.test`, `/user/${wsB}/api/kernels`, {
      method: 'POST',
      headers: { cookie: `__Host-labgate_ws=${pass}`, origin: wsOrigin(wsA) },
      body: '{}',
    });
    expect(bKernelOnA.status).toBe(403);
    const withSession = await send(`${wsA}.ws.test`, `/user/${wsA}/api/contents`, {
      headers: { cookie: `labgate_session=${learner.session}` },
    });
    expect(withSession.status).toBe(401);
    // A workspace origin serves its workspace and nothing of labgate's.
    const home = await send(`${wsA}.ws.test`, '/home', {
      headers: { cookie: `labgate_session=${learner.session}` },
    });
    expect(home.status).toBe(404);
    // A value tossed in by a sibling origin under the same name does not hide the real one.
    const tossed = await send(`${wsA}.ws.test`, `/user/${wsA}/api/contents`, {
      headers: { cookie: `__Host-labgate_ws=forged; __Host-labgate_ws=${pass}` },
    });
    expect(tossed.status).toBe(200);
  });

  it('lets only the workspace’s own origin change things or open WebSockets there', async () => {
    const { pass } = await enter(wsA, learner.session);
    const post = (origin?: string) =>
      send(`${wsA}.ws.test`, `/user/${wsA}/api/kernels`, {
        method: 'POST',
        headers: { cookie: `__Host-labgate_ws=${pass}`, ...(origin ? { origin } : {}) },
        body: '{}',
      });
    expect((await post(wsOrigin(wsB))).status).toBe(403);
    expect((await post(testBaseUrl)).status).toBe(403);
    expect((await post(undefined)).status).toBe(403);
    expect((await post(wsOrigin(wsA))).status).toBe(200);

    const socket = (origin: string, cookie = `__Host-labgate_ws=${pass}`) =>
      openSocket(`${wsA}.ws.test`, `/user/${wsA}/api/kernels/k1/channels`, { origin, cookie });
    expect(await socket(wsOrigin(wsB))).toBe(403);
    expect(await socket(testBaseUrl)).toBe(403);
    expect(await socket(wsOrigin(wsA), `labgate_session=${learner.session}`)).toBe(401);
    expect(await socket(wsOrigin(wsA))).toBe(101);

    // The git buttons (same origin, JSON) keep working; from another origin they are refused.
    const git = (origin: string) =>
      send(`${wsA}.ws.test`, `/user/${wsA}/git-api/status`, {
        method: 'POST',
        headers: { cookie: `__Host-labgate_ws=${pass}`, origin, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await git(wsOrigin(wsB))).status).toBe(403);
    expect((await git(wsOrigin(wsA))).status).not.toBe(403);
  });

  it('serves no workspace on labgate’s origin: pages go to the workspace’s origin, anything else is refused', async () => {
    seenByJupyter.length = 0;
    const cookie = `labgate_session=${learner.session}`;
    const api = await send(labgateHost, `/user/${wsA}/api/contents`, { headers: { cookie } });
    expect(api.status).toBe(303);
    expect(api.headers.location).toBe(`${wsOrigin(wsA)}/user/${wsA}/api/contents`);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'])
      expect(
        (await send(labgateHost, `/user/${wsA}/api/kernels`, { method, headers: { cookie } })).status,
      ).toBe(403);
    const git = await send(labgateHost, `/user/${wsA}/git-api/status`, {
      method: 'POST',
      headers: { cookie, origin: testBaseUrl, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(git.status).toBe(403);
    expect(
      await openSocket(labgateHost, `/user/${wsA}/api/kernels/k1/channels`, { origin: testBaseUrl, cookie }),
    ).toBe(403);
    expect(seenByJupyter).toEqual([]);
  });

  it('gives a teacher of the course the same entry, not the git buttons; another learner gets no code', async () => {
    const { pass } = await enter(wsA, teacher.session);
    expect(pass).toBeTruthy();
    const files = await send(`${wsA}.ws.test`, `/user/${wsA}/api/contents`, {
      headers: { cookie: `__Host-labgate_ws=${pass}` },
    });
    expect(files.status).toBe(200);
    const git = await send(`${wsA}.ws.test`, `/user/${wsA}/git-api/status`, {
      method: 'POST',
      headers: {
        cookie: `__Host-labgate_ws=${pass}`,
        origin: wsOrigin(wsA),
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(git.status).toBe(403);

    const start = await send(`${wsA}.ws.test`, `/user/${wsA}/lab`, {
      headers: { 'sec-fetch-mode': 'navigate' },
    });
    const asked = new URL(start.headers.location!);
    const refused = await send(labgateHost, asked.pathname + asked.search, {
      headers: { cookie: `labgate_session=${other.session}`, accept: 'text/html', 'accept-language': 'fr' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('Cet espace de travail n’est pas le vôtre');
    expect(refused.headers.location).toBeUndefined();
    // Nor does a script's request get one, even for the learner: codes travel in navigations only.
    const fetched = await send(labgateHost, asked.pathname + asked.search, {
      headers: { cookie: `labgate_session=${learner.session}`, 'sec-fetch-mode': 'cors' },
    });
    expect(fetched.status).toBe(403);
    const elsewhere = await send(
      labgateHost,
      `/workspaces/${wsA}/enter?${new URLSearchParams({
        state: asked.searchParams.get('state')!,
        next: `/user/${wsB}/lab`,
      })}`,
      { headers: { cookie: `labgate_session=${learner.session}` } },
    );
    expect(elsewhere.status).toBe(400);
  });

  it('keeps labgate’s own forms out of reach of a workspace origin (same site, other origin)', async () => {
    const csrf = (await t.app.services.sessions.findSession(teacher.session))!.csrfToken;
    for (const headers of [
      { origin: wsOrigin(wsA) },
      { origin: wsOrigin(wsA), 'x-csrf-token': csrf },
      {} as Record<string, string>,
    ]) {
      const res = await t.app.server.inject({
        method: 'POST',
        url: '/logout',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        cookies: { labgate_session: teacher.session },
        payload: headers.origin && headers['x-csrf-token'] ? `_csrf=${encodeURIComponent(csrf)}` : '',
      });
      expect(res.statusCode).toBe(403);
    }
    expect(await t.app.services.sessions.findSession(teacher.session)).toBeDefined();
    // Not even the routes that take other sites' posts (a signed launch, the OIDC consent) take one.
    const launch = await postLaunch(t, formEncode(signedLaunch(t)), { headers: { origin: wsOrigin(wsA) } });
    expect(launch.statusCode).toBe(403);
    expect(launch.body).toContain('WEB_CSRF');
    const consent = await t.app.server.inject({
      method: 'POST',
      url: '/oidc/interaction/some-uid',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: wsOrigin(wsA) },
      payload: 'decision=allow',
    });
    expect(consent.statusCode).toBe(403);
    expect(consent.body).toContain('WEB_CSRF');
    expect(
      (await postLaunch(t, formEncode(signedLaunch(t)), { headers: { origin: 'https://lms.test' } }))
        .statusCode,
    ).toBe(303);
  });
});

describe('when the session expires', () => {
  it('ends the workspace cookie with it', async () => {
    const { pass } = await enter(wsA, learner.session);
    const read = () =>
      send(`${wsA}.ws.test`, `/user/${wsA}/api/contents`, {
        headers: { cookie: `__Host-labgate_ws=${pass}` },
      });
    expect((await read()).status).toBe(200);
    clock += 13 * 3600 * 1000; // SESSION_TTL_HOURS is 12: every session of this file is over
    expect((await read()).status).toBe(401);
  });
});

describe('without WORKSPACE_HOST_PATTERN', () => {
  it('serves workspaces under /user/<id>/ on labgate’s origin, as before, and refuses teacher access', async () => {
    const { loadConfig } = await import('../src/config.ts');
    expect(() =>
      loadConfig('serve', {
        PUBLIC_BASE_URL: testBaseUrl,
        WORKSPACE_IMAGE: 'x',
        FORGE_URL: 'http://127.0.0.1:9',
        FORGE_TOKEN: 'not-a-real-token',
        WORKSPACE_TEACHER_ACCESS: 'on',
      }),
    ).toThrow(/^Setting WORKSPACE_TEACHER_ACCESS: .*set WORKSPACE_HOST_PATTERN/);
    const single = await startTestApp({
      env: { ...workspaceEnv(), WORKSPACE_HOST_PATTERN: 'off' },
    });
    try {
      await single.app.server.listen({ port: 0, host: '127.0.0.1' });
      const before = { t, port };
      t = single;
      port = (single.app.server.server.address() as AddressInfo).port;
      try {
        const me = await launch('ada');
        const id = await workspaceOf(me);
        const res = await send(labgateHost, `/user/${id}/api/contents`, {
          headers: { cookie: `labgate_session=${me.session}` },
        });
        expect(res.status).toBe(200);
        const entry = await send(labgateHost, `/workspaces/${id}/enter?state=x&next=/user/${id}/`, {
          headers: { cookie: `labgate_session=${me.session}` },
        });
        expect(entry.status).toBe(404);
      } finally {
        ({ t, port } = before);
      }
    } finally {
      await single.close();
    }
  });
});
