import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import {
  connectEngine,
  containerName,
  createDockerSpawner,
  createWorkspaceNetworks,
  networkName,
} from '../../src/workspaces/index.ts';
import { netavarkPodman, podmanSocket } from '../support/containers.ts';
import { testWorkspaceParts } from '../support/workspace-parts.ts';

// Podman 4 with netavark leaves networks made together without isolation (README, "Workspace
// networks"). Here the real Podman (CNI) answers everything, except that it says netavark.
const image = inject('notebookImage');
const dir = mkdtempSync(path.join(tmpdir(), 'labgate-engine-refusal-'));
const socket = path.join(dir, 'netavark.sock');
const docker = new Docker({ socketPath: podmanSocket });
let stand: Awaited<ReturnType<typeof netavarkPodman>>;

beforeAll(async () => {
  stand = await netavarkPodman(socket);
});
afterAll(async () => {
  await stand.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}-workspaces`, { recursive: true, force: true });
});

describe('an engine that would not keep workspaces apart', () => {
  it('is told apart from this machine’s Podman with CNI, which passes', async () => {
    await expect(connectEngine(podmanSocket).podmanNetworking()).resolves.toMatchObject({
      version: expect.stringMatching(/^\d+\./),
      backend: 'cni',
    });
    await expect(connectEngine(socket).podmanNetworking()).resolves.toMatchObject({ backend: 'netavark' });
  });

  it('gets no workspace: the launch says why and what to set, and leaves no network or container', async () => {
    const parts = testWorkspaceParts({ root: path.join(dir, 'spawner') });
    const engine = connectEngine(socket);
    const spawner = createDockerSpawner({
      ...parts,
      engine,
      networks: createWorkspaceNetworks(engine),
      workspaceUid: 1000,
      tmpBytes: 1 << 24,
      readyTimeoutMs: 1000,
    });
    const spec = {
      userId: 'learner-netavark',
      assignment: 'ex1',
      image,
      baseUrl: '/user/learner-netavark/',
      token: 'x'.repeat(32),
      limits: { memoryBytes: 512 * 1024 * 1024, cpus: 1, pids: 256 },
    };
    try {
      await expect(spawner.start(spec)).rejects.toMatchObject({
        code: 'WORKSPACE_ENGINE_UNSAFE',
        message: expect.stringContaining('with the netavark network backend'),
        hint: expect.stringContaining('network_backend = "cni"'),
      });
      await expect(docker.getNetwork(networkName(spec.userId, 'ex1')).inspect()).rejects.toThrow();
      await expect(docker.getContainer(containerName(spec.userId, 'ex1')).inspect()).rejects.toThrow();
    } finally {
      await parts.forget([[spec.userId, 'ex1']]);
    }
  });

  it('is named in labgate’s log at start, before any learner meets it', async () => {
    const logs = new PassThrough();
    let seen = '';
    logs.on('data', (c: Buffer) => (seen += c.toString()));
    const app = await buildApp(
      loadConfig('demo', {
        PUBLIC_BASE_URL: 'http://127.0.0.1:9',
        DATA_DIR: path.join(dir, 'app'),
        LOG_LEVEL: 'info',
        WORKSPACE_IMAGE: image,
        DOCKER_SOCKET: socket,
      }),
      { logStream: logs },
    );
    try {
      await expect.poll(() => seen, { timeout: 10_000 }).toContain('workspaces refused');
      const line = JSON.parse(seen.split('\n').find((l) => l.includes('workspaces refused'))!) as {
        level: number;
        err: { code: string; message: string };
      };
      expect(line.level).toBe(40);
      expect(line.err).toMatchObject({
        code: 'WORKSPACE_ENGINE_UNSAFE',
        message: expect.stringContaining('netavark'),
      });
    } finally {
      await app.close();
    }
  });
});
