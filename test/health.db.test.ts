import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { rootToken, startTestGitlab, type TestGitlab } from './support/gitlab-lite.ts';
import { openTestDatabase, testDbKind, type TestDatabase } from './support/test-database.ts';

let gitlab: TestGitlab;
const dirs: string[] = [];
const opened: Array<{ app: App; database: TestDatabase }> = [];

/** A labgate on a database and a data folder of its own, with `env` (given that folder) on top of a test configuration. */
async function start(env: (dir: string) => Record<string, string>) {
  const database = await openTestDatabase();
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-health-'));
  dirs.push(dir);
  const config = loadConfig('demo', {
    PUBLIC_BASE_URL: 'https://labgate.test',
    LOG_LEVEL: 'silent',
    EMBEDDED_FORGE: 'off',
    DATA_DIR: dir,
    ...env(dir),
  });
  const app = await buildApp(config, { db: database.db, upkeep: false });
  opened.push({ app, database });
  return { app, database, dir };
}

const get = async (app: App, url: string) => {
  const res = await app.server.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>(), text: res.payload };
};

beforeAll(async () => {
  gitlab = await startTestGitlab();
});
afterAll(async () => {
  for (const { app, database } of opened.reverse()) {
    await app.close();
    await database.close().catch(() => {});
  }
  await gitlab?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('/healthz and /readyz', () => {
  it('are both answered when the database and the forge answer (no engine asked without workspaces)', async () => {
    const { app } = await start(() => ({ FORGE_URL: gitlab.lite.url, FORGE_TOKEN: rootToken }));
    expect(await get(app, '/healthz')).toMatchObject({ status: 200, body: { status: 'up' } });
    const ready = await get(app, '/readyz');
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ready', failed: [], checks: { database: { ok: true }, forge: { ok: true } } },
    });
    expect(ready.body.checks).not.toHaveProperty('engine');
  });

  it('answers 503 naming the forge that refuses labgate’s token and the engine that is not there, and no secret', async () => {
    const { app, dir } = await start((dir) => ({
      FORGE_URL: gitlab.lite.url,
      FORGE_TOKEN: 'a-token-gitlab-refuses',
      WORKSPACE_IMAGE: 'labgate-notebook:test',
      DOCKER_SOCKET: path.join(dir, 'no-engine.sock'),
      WORKSPACES_ROOT: path.join(dir, 'workspaces'),
    }));
    const ready = await get(app, '/readyz');
    expect(ready).toMatchObject({
      status: 503,
      body: {
        status: 'unready',
        failed: ['forge', 'engine'],
        checks: {
          database: { ok: true },
          forge: { ok: false, error: 'answered HTTP 401' },
          engine: { ok: false, error: 'socket missing' },
        },
      },
    });
    for (const secret of ['a-token-gitlab-refuses', gitlab.lite.url, dir])
      expect(ready.text).not.toContain(secret);
    expect((await get(app, '/healthz')).status).toBe(200);
  });

  it('goes unready when the database stops, stays alive, and is ready again once the database is back', async () => {
    const { app, database } = await start(() => ({ FORGE_URL: gitlab.lite.url, FORGE_TOKEN: rootToken }));
    expect((await get(app, '/readyz')).status).toBe(200);
    const admin =
      testDbKind() === 'postgres' ? new pg.Client({ connectionString: inject('pgAdminUrl') }) : undefined;
    const name = new URL(database.url).pathname.slice(1);
    if (admin) {
      // This test's own database refuses connections and loses those it had: the server stays up for the others.
      await admin.connect();
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    } else {
      // SQLite lives in labgate's process: its database stops when its handle is closed, for good.
      await database.db.destroy();
    }
    await vi.waitFor(
      async () =>
        expect(await get(app, '/readyz')).toMatchObject({
          status: 503,
          body: {
            status: 'unready',
            failed: ['database'],
            checks: { database: { ok: false }, forge: { ok: true } },
          },
        }),
      { timeout: 10_000, interval: 250 },
    );
    expect(await get(app, '/healthz')).toMatchObject({ status: 200, body: { status: 'up' } });
    if (!admin) return;
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    } finally {
      await admin.end();
    }
    await vi.waitFor(async () => expect((await get(app, '/readyz')).status).toBe(200), {
      timeout: 10_000,
      interval: 250,
    });
  });
});
