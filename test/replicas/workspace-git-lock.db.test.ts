import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceGitLock } from '../../src/app/workspace-git-lock.ts';
import { createDatabase, createJobLocks, type Db, type JobLocks } from '../../src/db/index.ts';
import { createWorkspaceGit, type GitOperation, type WorkspaceGit } from '../../src/flows/index.ts';
import { createGitlabForge, createProvisioner, type Provisioner } from '../../src/forge/index.ts';
import { createTemplateMirror } from '../../src/gitops/index.ts';
import type { Sandbox, Workspace } from '../../src/workspaces/index.ts';
import { createGitApiHandler } from '../../src/web/workspace-git-api.ts';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { closeLocalSandboxes, localSandbox } from '../support/local-sandbox.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { eventually, gate } from './replicas.ts';

// The learner's git buttons answered by two replicas (two pools on PostgreSQL; on SQLite, which runs
// one server, two flows in the one process), on one learner's folder: real git through labgate's
// sandbox agent run on the test machine (test/support/local-sandbox.ts), a real fork in gitlab-lite.
let t: TestGitlab;
let database: TestDatabase;
let other: Db;
let provisioner: Provisioner;
let ws: Workspace;
let folder = '';
/** Each replica's locks: one per pool (on SQLite the one process's). */
const locks = new Map<Db, JobLocks>();
const locksOn = (db: Db) => locks.get(db) ?? locks.set(db, createJobLocks(db)).get(db)!;
/** When each operation had the learner's folder open, by replica. */
const spans: Array<{ who: string; from: number; to: number }> = [];

/** A sandbox on the learner's folder that notes when each operation had it open. */
const watchedSandbox = (who: string): Sandbox => ({
  open: async () => {
    const session = await localSandbox(folder);
    const from = performance.now();
    return {
      ...session,
      close: async () => {
        spans.push({ who, from, to: performance.now() });
        await session.close();
      },
    };
  },
});

function replica(who: string, db: Db, waitMs = 60_000): WorkspaceGit {
  const l = locksOn(db);
  return createWorkspaceGit({
    forge: createGitlabForge({ url: t.lite.url, token: rootToken }),
    provisioner,
    sandbox: watchedSandbox(who),
    templates: createTemplateMirror({ dir: path.join(t.work, `mirror-${who}`), refreshMs: 0 }),
    settings: { image: 'unused', maxFileBytes: 20 << 20, diskLimitBytes: 1 << 30 },
    exclusive: workspaceGitLock(l, { waitMs }),
  });
}

beforeAll(async () => {
  t = await startTestGitlab();
  database = await openTestDatabase();
  other = database.kind === 'postgres' ? createDatabase(database.url) : database.db;
  const teachers = await t.api.Groups.create('Teachers', 'teachers');
  await t.api.Projects.create({
    name: 'ex1',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  const forge = createGitlabForge({ url: t.lite.url, token: rootToken });
  provisioner = createProvisioner({
    db: database.db,
    forge,
    log: pino({ level: 'silent' }),
    options: { pollMs: 50 },
  });
  provisioner.start();
  const person = { externUid: 'ada', username: 'ada', name: 'Ada', email: 'ada@x.invalid' };
  const job = await provisioner.provision('ada', {
    kind: 'fork',
    person,
    course: { id: 'c1', path: 'c1', name: 'C1' },
    assignment: { slug: 'ex1', title: 'Ex 1', template: 'teachers/ex1' },
  });
  const fork = await eventually(
    'the fork',
    async () => {
      const j = await provisioner.get(job.id);
      if (j?.status === 'failed') throw new Error(`fork failed: ${j.error?.message}`);
      return j?.status === 'done' ? j.state.fork : undefined;
    },
    60_000,
  );
  folder = mkdtempSync(path.join(t.work, 'ada-'));
  const cloned = await runGit(
    ['clone', '-q', cloneUrl(t.lite.url, fork!.pathWithNamespace, rootToken), '.'],
    folder,
  );
  if (cloned.code !== 0) throw new Error(cloned.out);
  await runGit(['remote', 'set-url', 'origin', cloneUrl(t.lite.url, fork!.pathWithNamespace)], folder);
  ws = {
    id: 'ws-ada',
    userId: 'ada',
    courseId: 'c1',
    assignment: 'ex1',
    provisioningId: job.id,
  } as Workspace;
}, 120_000);

afterAll(async () => {
  await closeLocalSandboxes();
  await provisioner?.stop();
  for (const l of locks.values()) await l.close();
  if (other !== database?.db) await other?.destroy();
  await database?.close();
  await t?.close();
});

describe('the git buttons of one workspace, pressed on two replicas', () => {
  it('run one after the other, never at once, and every one succeeds', async () => {
    const [a, b] = [replica('a', database.db), replica('b', other)];
    writeFileSync(path.join(folder, 'answer.txt'), '42\n');
    const ops: Array<[WorkspaceGit, GitOperation, unknown]> = [
      [a, 'commit', { message: 'my answer' }],
      [b, 'status', {}],
      [b, 'commit', { message: 'again' }],
      [a, 'pull', {}],
    ];
    spans.length = 0;
    const results = await Promise.allSettled(ops.map(([git, op, body]) => git.run(ws, op, body, 'en')));
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    expect(spans.map((s) => s.who).sort()).toEqual(['a', 'a', 'b', 'b']);
    const byStart = [...spans].sort((x, y) => x.from - y.from);
    for (let i = 1; i < byStart.length; i++)
      expect(byStart[i]!.from).toBeGreaterThanOrEqual(byStart[i - 1]!.to);
    // The learner's work reached their fork.
    const fork = (await provisioner.get(ws.provisioningId))!.state.fork!;
    const file = await t.api.RepositoryFiles.showRaw(fork.id, 'answer.txt', 'main');
    expect(String(file)).toBe('42\n');
  });

  it('tells the learner, in French, when another operation holds the workspace too long', async () => {
    const holder = locksOn(database.db);
    const b = replica('b', other, 400);
    const handle = createGitApiHandler({
      git: b,
      log: { warn: () => {} },
      publicOrigin: 'https://labgate.test',
    });
    const server: Server = createServer((req, res) => void handle(req, res, ws, 'fr'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const push = gate();
    // A long Commit & push on the other replica.
    const holding = holder.runExclusive(`workspace-git:${ws.id}`, () => push.closed, { waitMs: 1_000 });
    try {
      await new Promise((r) => setTimeout(r, 50));
      const res = await fetch(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/user/ws-ada/git-api/status`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        },
      );
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('GIT_BUSY');
      expect(body.error.message).toMatch(
        /^Une autre opération git sur votre espace .* est toujours en cours\./,
      );
      expect(body.error.message).toContain('Attendez qu’elle se termine, puis réessayez.');
    } finally {
      push.open();
      await holding;
      server.close();
    }
    // Once it ended, the button works again.
    expect(await b.run(ws, 'status', {}, 'fr')).toMatchObject({ branch: 'main' });
  });
});
