import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { podmanSocket, removeWorkspaces } from './support/containers.ts';
import { metricsToken, startMetricsApp } from './support/metrics-rig.ts';
import { parseScrape } from './support/prometheus-scrape.ts';
import {
  formEncode,
  learnerParams,
  postLaunch,
  sessionCookieOf,
  signedLaunch,
  testBaseUrl,
  type TestApp,
} from './support/test-app.ts';

// A learner's launch into a real container on Podman, then a git button: what an operator's
// dashboard would show of it.
let rig: Awaited<ReturnType<typeof startMetricsApp>>;
let t: TestApp;
let workspaceId = '';

const scrape = async () => {
  const res = await t.app.server.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${metricsToken}` },
  });
  return parseScrape(res.payload);
};

beforeAll(async () => {
  rig = await startMetricsApp(() => ({
    WORKSPACE_STORAGE: 'folder',
    DOCKER_SOCKET: podmanSocket,
    WORKSPACE_IMAGE: inject('notebookImage'),
    WORKSPACE_ENTRY: 'tree',
    WORKSPACE_MEMORY_MB: '512',
  }));
  t = rig.t;
}, 120_000);

afterAll(async () => {
  await rig?.close();
  if (workspaceId) await removeWorkspaces([workspaceId]);
});

describe('metrics of a launch into a real container', () => {
  it('count the launch ready, time it, show the workspace running and the git button done', async () => {
    const before = await scrape();
    expect(before.histogram('labgate_workspace_ready_seconds').count).toBe(0);
    const res = await postLaunch(
      t,
      formEncode(
        signedLaunch(t, { params: learnerParams({ user_id: 'camille', custom_assignment: 'ex1' }) }),
      ),
    );
    const session = sessionCookieOf(res)!;
    const { userId } = (await t.app.services.sessions.findSession(session))!;
    workspaceId = (await t.db
      .selectFrom('workspaces')
      .select('id')
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow())!.id;
    const during = await scrape();
    expect(during.value('labgate_workspace_launches_in_progress')).toBe(1);
    await vi.waitFor(
      async () => expect((await t.app.services.workspaces.find(workspaceId))?.status).toBe('running'),
      { timeout: 120_000, interval: 250 },
    );
    const ready = await scrape();
    expect(ready.value('labgate_workspace_launches_total', { outcome: 'ready' })).toBe(1);
    expect(ready.value('labgate_workspace_launches_total', { outcome: 'failed' })).toBe(0);
    expect(ready.value('labgate_workspace_launches_in_progress')).toBe(0);
    const readyMs = t.app.launches!.timelineOf(workspaceId)!.readyMs!;
    expect(ready.histogram('labgate_workspace_ready_seconds')).toEqual({ count: 1, sum: readyMs / 1000 });
    expect(ready.value('labgate_workspaces_running')).toBe(1);

    const port = (t.app.server.server.address() as AddressInfo).port;
    const git = await fetch(`http://127.0.0.1:${port}/user/${workspaceId}/git-api/status`, {
      method: 'POST',
      headers: {
        cookie: `labgate_session=${session}`,
        origin: testBaseUrl,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(git.status).toBe(200);
    await git.arrayBuffer();
    const after = await scrape();
    expect(after.value('labgate_git_operations_total', { operation: 'status', outcome: 'ok' })).toBe(1);
    expect(after.histogram('labgate_git_operation_duration_seconds', { operation: 'status' }).count).toBe(1);
    await vi.waitFor(async () =>
      expect((await scrape()).value('labgate_proxy_requests_total', { code: '2xx' })).toBe(1),
    );
    const readyz = await t.app.server.inject({ method: 'GET', url: '/readyz' });
    expect(readyz.json()).toMatchObject({ status: 'ready', checks: { engine: { ok: true } } });
  });
});
