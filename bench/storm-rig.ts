/**
 * The launch storm's stack, as test/e2e/workspace-replicas.swarm.test.ts builds it but on Podman: a
 * fresh database on the test PostgreSQL, gitlab-lite in this process (the demo template, GitLab-like
 * fork latency), labgate replicas started with `npm start` on that database, and a round-robin proxy
 * in front. `close()` undoes all of it, also on SIGINT/SIGTERM: the replicas are process groups of
 * their own and would outlive this process.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createAssignmentStore, createCourseStore } from '../src/courses/index.ts';
import { createDatabase } from '../src/db/index.ts';
import { createConsumerStore } from '../src/lti/index.ts';
import { createWorkspaceStore } from '../src/workspaces/index.ts';
import { demoConsumerKey, ensureDemoAssignment, startDemoForge } from '../src/simulator/index.ts';
import { podmanSocket, removeWorkspaces } from '../test/support/containers.ts';
import { freePort, startDemoProcess } from '../test/support/labgate-process.ts';
import { ensureTestPostgres } from '../test/support/postgres-server.ts';
import { startRoundRobinProxy } from '../test/support/round-robin-proxy.ts';

type Replica = Awaited<ReturnType<typeof startDemoProcess>>;

export interface StormRigOptions {
  image: string;
  /** WORKSPACE_MAX_RUNNING of every replica. */
  maxRunning: number;
  replicas: number;
}

/** A replica asked to stop that has not exited after 20 s is killed. */
async function stopReplica(replica: Replica) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 20_000)));
  const stopped = replica.stop();
  await Promise.race([stopped, late.then(() => replica.kill())]);
  clearTimeout(timer);
  await stopped.catch(() => {});
}

export async function startStormRig(o: StormRigOptions) {
  const undo: Array<() => Promise<unknown> | void> = [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const step of undo.reverse())
        await Promise.resolve()
          .then(step)
          .catch(() => {});
    })());
  const onSignal = () => void close().finally(() => process.exit(130));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  undo.push(() => void process.off('SIGINT', onSignal).off('SIGTERM', onSignal));

  try {
    const adminUrl = await ensureTestPostgres();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    undo.push(() => admin.end());
    const dbName = `labgate_storm_${randomBytes(5).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${dbName}"`);
    undo.push(() => admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    const dbUrl = url.href;

    const work = mkdtempSync(path.join(tmpdir(), 'labgate-storm-'));
    chmodSync(work, 0o755); // labgate drops to its own user, which must reach its data folder in here
    undo.push(() => rmSync(work, { recursive: true, force: true }));
    // GitLab-like fork latency, as bench/provision.ts: 0.5–1.5 s.
    const forgeDir = path.join(work, 'forge');
    mkdirSync(path.join(forgeDir, 'gitlab-lite'), { recursive: true });
    writeFileSync(
      path.join(forgeDir, 'gitlab-lite', 'knobs.json'),
      JSON.stringify({ forkLatencyMs: 500, forkLatencyJitterMs: 1000 }),
    );
    const forge = await startDemoForge(forgeDir);
    undo.push(() => forge.close());
    const ports = await Promise.all(Array.from({ length: o.replicas }, () => freePort()));
    const proxy = await startRoundRobinProxy(ports);
    undo.push(() => proxy.close());

    const db = createDatabase(dbUrl);
    undo.push(() => db.destroy());
    // Runs once the replicas are stopped (undo goes backwards): this run's workspaces, by its database.
    undo.push(async () => {
      const rows = await db.selectFrom('workspaces').select('id').execute();
      await removeWorkspaces(rows.map((w) => w.id));
    });

    const env: Record<string, string> = {
      PUBLIC_BASE_URL: proxy.url,
      DATABASE_URL: dbUrl,
      EMBEDDED_FORGE: 'off',
      FORGE_URL: forge.url,
      FORGE_TOKEN: forge.token,
      WORKSPACES_ROOT: path.join(work, 'workspaces'),
      WORKSPACE_IMAGE: o.image,
      // Podman (not the Swarm): named, as with WORKSPACE_IMAGE set labgate asks /var/run/docker.sock only.
      DOCKER_SOCKET: podmanSocket,
      WORKSPACE_ENTRY: 'tree',
      WORKSPACE_MAX_RUNNING: String(o.maxRunning),
    };
    const replicas: Replica[] = [];
    const startReplica = async (i: number) => {
      const replica = await startDemoProcess({
        ...env,
        PORT: String(ports[i]),
        DATA_DIR: path.join(work, `replica-${i}`),
      });
      replicas[i] = replica;
      undo.push(() => stopReplica(replica));
    };

    // The first replica makes the schema and the simulator's LMS; the course's assignment is the teacher's.
    await startReplica(0);
    await ensureDemoAssignment(
      { courses: createCourseStore(db), assignments: createAssignmentStore(db) },
      `lti11:${demoConsumerKey}`,
    );
    const consumer = await createConsumerStore(db).findConsumer(demoConsumerKey);
    if (!consumer) throw new Error('the first replica did not make the simulator’s LTI consumer');

    return {
      db,
      proxy,
      ports,
      secret: consumer.secrets[0]!,
      /** Starts the other replicas (the first one runs from the start). */
      async startOthers() {
        for (let i = 1; i < o.replicas; i++) await startReplica(i);
      },
      /**
       * The forks of these launches as the database has them, once all are done or failed or at
       * `deadline`: read there, the job's end is stamped by the replica that finished it (same host clock).
       */
      async forks(workspaceIds: string[], deadline: number) {
        for (;;) {
          const rows = workspaceIds.length
            ? await db
                .selectFrom('workspaces')
                .innerJoin('provisionings', 'provisionings.id', 'workspaces.provisioning_id')
                .select([
                  'workspaces.id as id',
                  'provisionings.status as status',
                  'provisionings.finished_at as finishedAt',
                  'provisionings.error_code as errorCode',
                  'provisionings.attempts as attempts',
                ])
                .where('workspaces.id', 'in', workspaceIds)
                .execute()
            : [];
          const open = rows.filter((r) => r.status !== 'done' && r.status !== 'failed');
          if ((rows.length === workspaceIds.length && !open.length) || Date.now() > deadline)
            return new Map(rows.map((r) => [r.id, r]));
          await new Promise((r) => setTimeout(r, 250));
        }
      },
      /** Workspaces running or starting now, as WORKSPACE_MAX_RUNNING counts them. */
      running: () => createWorkspaceStore(db).countRunning(),
      /** Error-level lines each replica logged so far (LOG_LEVEL is warn). */
      errorLines: () =>
        replicas.map((r) =>
          r
            .output()
            .split('\n')
            .filter((l) => /"level":(50|60)/.test(l)),
        ),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export type StormRig = Awaited<ReturnType<typeof startStormRig>>;
