import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkspaceCuller } from '../../src/app/workspace-culler.ts';
import { createJobLocks, type Db } from '../../src/db/index.ts';
import { createWorkspaceLauncher, submittedTag } from '../../src/flows/index.ts';
import { createWorkspaceStore, type Spawner } from '../../src/workspaces/index.ts';
import { cloneUrl, rootToken, runGit } from '../support/gitlab-lite.ts';
import { eventually, killNow, sleep, startLockHolder } from './replicas.ts';
import { startReplicas, startSlowLms } from './replica-rig.ts';

// Two labgate replicas on one PostgreSQL database. SQLite runs one server process (sqlite-one-server.test.ts).
const postgres = process.env.LABGATE_TEST_DB === 'postgres';

describe.runIf(postgres)('scheduled jobs with two replicas on one PostgreSQL', () => {
  let r: Awaited<ReturnType<typeof startReplicas>>;
  let lms: Awaited<ReturnType<typeof startSlowLms>>;

  beforeAll(async () => {
    r = await startReplicas();
    lms = await startSlowLms(600);
  }, 120_000);
  afterAll(async () => {
    await r?.close();
    await lms?.close();
  });

  it('delivers a grade to the LMS exactly once: the replica whose round comes second skips it', async () => {
    const ana = await r.launch(r.a.app, 'ana', lms.url);
    await r.a.app.passback.queueGrades(r.assignment.id, [{ userId: ana, score: 7, maxScore: 10 }]);
    const first = r.a.app.rounds.deliverGrades();
    await eventually('the LMS receiving the grade', async () => lms.received.length > 0 || undefined);
    // While replica A waits for the LMS, replica B's round comes: another replica runs it.
    expect(await r.b.app.rounds.deliverGrades()).toEqual({ ran: false });
    expect(await first).toMatchObject({ ran: true, value: { sent: 1 } });
    expect(await r.b.app.rounds.deliverGrades()).toMatchObject({ ran: true, value: { sent: 0 } });
    expect(lms.received.map((g) => g.sourcedId)).toEqual(['src-ana']);
    const status = (await r.b.app.passback.statusOf(r.assignment.id)).get(ana);
    expect(status).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('runs both replicas’ rounds at the same moment as one: one delivery', async () => {
    const ben = await r.launch(r.b.app, 'ben', lms.url);
    await r.b.app.passback.queueGrades(r.assignment.id, [{ userId: ben, score: 4, maxScore: 10 }]);
    lms.received.length = 0;
    const rounds = await Promise.all([r.a.app.rounds.deliverGrades(), r.b.app.rounds.deliverGrades()]);
    expect(rounds.filter((x) => x.ran)).toHaveLength(1);
    expect(lms.received.map((g) => g.sourcedId)).toEqual(['src-ben']);
  });

  it('records a passed deadline once: one submission, one tag, the branch locked once, no error', async () => {
    const cyd = await r.launch(r.a.app, 'cyd', lms.url);
    const fork = await r.forkOf(cyd);
    const work = mkdtempSync(path.join(r.gitlab.work, 'cyd-'));
    const project = (await r.gitlab.api.Projects.show(fork.id)).path_with_namespace as string;
    const git = async (args: string[]) => {
      const out = await runGit(args, work);
      if (out.code !== 0) throw new Error(`git ${args[0]}: ${out.out}`);
      return out.out.trim();
    };
    await git(['clone', '-q', cloneUrl(r.gitlab.lite.url, project, rootToken), '.']);
    writeFileSync(path.join(work, 'answer.txt'), '42\n');
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', 'my answer']);
    await git(['push', '-q', 'origin', 'HEAD:main']);
    const sha = await git(['rev-parse', 'HEAD']);
    await sleep(1100); // the forge's clock counts in seconds
    const deadline = Date.now();
    await r.a.app.services.assignments.setDeadline(r.assignment.id, deadline);
    const rounds = await Promise.all([r.a.app.rounds.upkeep!(), r.b.app.rounds.upkeep!()]);
    expect(rounds.filter((x) => x.ran)).toHaveLength(1);
    const submission = await r.a.app.teaching!.stores.submissions.findSubmission(r.assignment.id, cyd);
    expect(submission).toMatchObject({ commit: { sha }, tag: submittedTag(deadline) });
    const tags = (await r.gitlab.api.Tags.all(fork.id)) as Array<{ name: string }>;
    expect(tags.filter((t) => t.name.startsWith('submitted/')).map((t) => t.name)).toEqual([
      submittedTag(deadline),
    ]);
    // A second replica doing the same would have failed on the existing tag, and said so.
    expect(r.a.logs() + r.b.logs()).not.toMatch(/failed/);
  });

  it('does not stay blocked by a replica killed in the middle of a round', async () => {
    const holder = await startLockHolder(r.database.url, 'grade-delivery');
    try {
      expect(await r.a.app.rounds.deliverGrades()).toEqual({ ran: false });
      expect(await r.b.app.rounds.deliverGrades()).toEqual({ ran: false });
    } finally {
      await killNow(holder);
    }
    const next = await eventually('a delivery round after kill -9', async () => {
      const round = await r.b.app.rounds.deliverGrades();
      return round.ran ? round : undefined;
    });
    expect(next).toMatchObject({ ran: true });
  });
});

describe.runIf(postgres)('the idle culler with two replicas on one PostgreSQL', () => {
  let r: Awaited<ReturnType<typeof startReplicas>>;
  beforeAll(async () => {
    r = await startReplicas();
  }, 120_000);
  afterAll(async () => r?.close());

  /** One replica's culler, wired as app.ts wires it; the container engine is the one part stood in for. */
  function cullerOn(db: Db, stops: string[]) {
    const engine = {
      stop: async (userId: string, assignment: string) => {
        stops.push(`${userId}/${assignment}`);
        await sleep(300); // stopping a container takes a while
      },
    } as Pick<Spawner, 'stop'> as Spawner;
    const launcher = createWorkspaceLauncher({
      // cullIdle needs the workspaces and the engine only.
      forge: undefined as never,
      provisioner: undefined as never,
      sandbox: undefined as never,
      spawner: engine,
      workspaces: createWorkspaceStore(db),
      settings: {
        image: 'x',
        allowedImages: [],
        limits: { memoryBytes: 1, cpus: 1, pids: 1 },
        maxRunning: 1,
      },
    });
    const locks = createJobLocks(db);
    const culler = startWorkspaceCuller({
      launcher,
      idleSeconds: 60,
      now: Date.now,
      log: console,
      once: locks.runOnce,
    });
    return { culler, locks };
  }

  it('stops an idle workspace once, from one replica', async () => {
    const dee = await r.launch(r.a.app, 'dee', 'http://127.0.0.1:9/outcomes');
    await r.forkOf(dee);
    const provisioning = await r.database.db
      .selectFrom('provisionings')
      .select('id')
      .where('user_id', '=', dee)
      .executeTakeFirstOrThrow();
    const store = createWorkspaceStore(r.database.db);
    const ws = await store.ensure({
      id: 'ws-dee',
      userId: dee,
      courseId: r.course.id,
      assignment: 'ex1',
      provisioningId: provisioning.id,
    });
    await store.update(ws.id, { status: 'running' });
    await store.touch(ws.id, Date.now() - 3_600_000);
    const stops: string[] = [];
    const [a, b] = [cullerOn(r.a.db, stops), cullerOn(r.b.db, stops)];
    try {
      const rounds = await Promise.all([a.culler.round(), b.culler.round()]);
      expect(rounds.filter((x) => x.ran)).toHaveLength(1);
      expect(stops).toEqual([`${dee}/ex1`]);
      expect((await store.find(ws.id))?.status).toBe('stopped');
    } finally {
      for (const x of [a, b]) {
        await x.culler.stop();
        await x.locks.close();
      }
    }
  });
});
