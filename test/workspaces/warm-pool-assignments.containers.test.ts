import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { imageAlias, podmanSocket } from '../support/containers.ts';

// An operator's second image (R, say): the test image under another name.
const image = inject('notebookImage');
const alias = imageAlias(image, 'localhost/labgate-pool-course');
const other = alias.name;
const docker = new Docker({ socketPath: podmanSocket });
const dir = mkdtempSync(path.join(tmpdir(), 'labgate-pool-course-'));
chmodSync(dir, 0o755);
const apps: Array<Awaited<ReturnType<typeof buildApp>>> = [];

const start = async (warmPool: string) => {
  const app = await buildApp(
    loadConfig('demo', {
      PUBLIC_BASE_URL: 'http://127.0.0.1:9',
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      WORKSPACE_IMAGE: image,
      WORKSPACE_IMAGES_ALLOWED: other,
      WORKSPACE_WARM_POOL: warmPool,
      DOCKER_SOCKET: podmanSocket,
    }),
  );
  apps.push(app);
  return app;
};

beforeAll(async () => {
  await alias.tag();
});
afterAll(async () => {
  for (const app of apps.reverse()) {
    await app.warmPool?.close({ drain: true });
    await app.close();
  }
  await alias.remove();
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}-workspaces`, { recursive: true, force: true });
});

describe('the warm pool of an image an assignment names', () => {
  it('is there from labgate’s start, before any learner of that assignment launches', async () => {
    // A teacher published an R assignment; labgate restarts (with a pool) before its first learner.
    const before = await start('0');
    const course = await before.services.courses.ensureCourse({
      lms: 'lti11:lms',
      contextId: 'ctx-r',
      title: 'Statistics with R',
    });
    await before.services.assignments.addAssignment({
      courseId: course.id,
      slug: 'r1',
      title: 'R, week 1',
      template: 'teachers/r1',
      image: other,
    });
    await before.close();
    apps.pop();

    const app = await start('1');
    const waitingImages = async () => {
      const names = (await app.warmPool?.waiting()) ?? [];
      return (
        await Promise.all(names.map(async (n) => (await docker.getContainer(n).inspect()).Config.Image))
      ).sort();
    };
    await expect.poll(waitingImages, { timeout: 45_000, interval: 500 }).toEqual([image, other].sort());
    expect(app.warmPool?.images().sort()).toEqual([image, other].sort());
  });
});
