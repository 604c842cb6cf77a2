import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { workspaceCleanup } from '../src/app/person-data.ts';
import { loadConfig } from '../src/config.ts';
import { executeErasure, planErasure, type ErasureDeps } from '../src/flows/index.ts';
import { createPersonRecordStore, createUserStore } from '../src/identity/index.ts';
import { containerName, createWorkspaceStore, workspaceFolder } from '../src/workspaces/index.ts';
import { podmanSocket } from './support/containers.ts';
import { tracesOf } from './support/person-traces.ts';
import { openTestDatabase, type TestDatabase } from './support/test-database.ts';
import { testWorkspaceParts } from './support/workspace-parts.ts';

const image = inject('notebookImage');
const root = mkdtempSync(path.join(tmpdir(), 'labgate-erasure-containers-'));
const parts = testWorkspaceParts({ root });
const docker = new Docker({ socketPath: podmanSocket });
let database: TestDatabase;
const learners: Record<'erased' | 'kept', string> = { erased: '', kept: '' };

beforeAll(async () => {
  database = await openTestDatabase();
  const users = createUserStore(database.db);
  const workspaces = createWorkspaceStore(database.db);
  for (const who of ['erased', 'kept'] as const) {
    const user = await users.ensureUser(
      { kind: 'lti11', issuer: 'test-lms', clientId: '', subject: `${who}-lms` },
      { name: `Learner ${who}` },
    );
    learners[who] = user.id;
    await workspaces.ensure({
      id: workspaceFolder(user.id, 'ex1'),
      userId: user.id,
      courseId: 'course-1',
      assignment: 'ex1',
      provisioningId: 'job',
    });
    await parts.spawner.start({
      userId: user.id,
      assignment: 'ex1',
      image,
      baseUrl: `/user/${workspaceFolder(user.id, 'ex1')}/`,
      token: randomBytes(16).toString('hex'),
      limits: { memoryBytes: 256 * 1024 * 1024, cpus: 1, pids: 128 },
    });
  }
});
afterAll(async () => {
  await parts.forget(Object.values(learners).map((id) => [id, 'ex1'] as [string, string]));
  await parts.close();
  await database?.close();
  rmSync(root, { recursive: true, force: true });
});

const running = async (userId: string) =>
  docker
    .getContainer(containerName(userId, 'ex1'))
    .inspect()
    .then((c) => c.State.Running)
    .catch(() => false);

describe('erasing a person with a running workspace (real containers)', () => {
  it('removes their container and the storage of their files, and nobody else’s', async () => {
    // The workspace settings as the server reads them; this command reaches the same engine and root.
    const config = loadConfig('cli', {
      DATABASE_URL: database.url,
      FORGE_URL: 'http://127.0.0.1:9',
      FORGE_TOKEN: 'unused-token',
      WORKSPACE_IMAGE: image,
      DOCKER_SOCKET: podmanSocket,
      WORKSPACES_ROOT: root,
    });
    const deps: ErasureDeps = {
      records: createPersonRecordStore(database.db),
      users: createUserStore(database.db),
      workspaces: workspaceCleanup(config.workspaces!),
    };
    const { erased, kept } = learners;
    expect(await running(erased)).toBe(true);
    expect(parts.storage.exists(erased, 'ex1')).toBe(true);

    const plan = await planErasure(deps, { userId: erased });
    expect(plan.workspaces).toEqual([
      {
        assignment: 'ex1',
        container: containerName(erased, 'ex1'),
        storage: [expect.stringContaining(root)],
      },
    ]);
    expect(await executeErasure(deps, plan)).toEqual({ failed: [] });

    expect(await running(erased)).toBe(false);
    await expect(docker.getContainer(containerName(erased, 'ex1')).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(parts.storage.exists(erased, 'ex1')).toBe(false);
    expect(await tracesOf(database.db, [erased, 'erased-lms', 'Learner erased'])).toEqual({});
    expect(await running(kept)).toBe(true);
    expect(parts.storage.exists(kept, 'ex1')).toBe(true);
  });
});
