import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';

let t: TestGitlab;
let templateId: number;
let studentsId: number;

async function clone(fullPath: string, dir: string) {
  return runGit(
    ['clone', '--quiet', cloneUrl(t.lite.url, fullPath, rootToken), path.join(t.work, dir)],
    t.work,
  );
}

/** Polls the fork as labgate will: until import_status is finished or failed. */
async function settled(id: number) {
  for (let i = 0; i < 200; i++) {
    const p = await t.api.Projects.show(id);
    if (p.import_status === 'finished' || p.import_status === 'failed') return p;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('fork never settled');
}

beforeAll(async () => {
  t = await startTestGitlab();
  const course = await t.api.Groups.create('Course F', 'course-f');
  studentsId = (await t.api.Groups.create('Students', 'students', { parentId: course.id as number }))
    .id as number;
  templateId = (
    await t.api.Projects.create({
      name: 'template',
      namespaceId: course.id as number,
      initializeWithReadme: true,
    })
  ).id as number;
});
afterAll(async () => t.close());

describe('gitlab-lite forks', () => {
  it('forks asynchronously: scheduled at once, finished later, with the template’s history and a protected branch', async () => {
    const fork = await t.api.Projects.fork(templateId, {
      namespaceId: studentsId,
      name: 'template alice',
      path: 'template-alice',
    });
    expect(fork).toMatchObject({
      import_status: 'scheduled',
      path_with_namespace: 'course-f/students/template-alice',
    });
    expect((fork.forked_from_project as { id: number }).id).toBe(templateId);
    expectSchema('public_api/v4/project.json', fork.forked_from_project);
    expect((await settled(fork.id as number)).import_status).toBe('finished');
    expect((await clone('course-f/students/template-alice', 'alice')).code).toBe(0);
    expect(existsSync(path.join(t.work, 'alice', 'README.md'))).toBe(true);
    expect((await t.api.ProtectedBranches.all(fork.id as number)).map((b) => b.name)).toEqual(['main']);
    expect((await t.api.Projects.allForks(templateId)).map((f) => f.id)).toEqual([fork.id]);
  });

  it('refuses to serve a fork before it is finished', async () => {
    t.lite.knobs.forkLatencyMs = 400;
    const fork = await t.api.Projects.fork(templateId, {
      namespaceId: studentsId,
      name: 'template bob',
      path: 'template-bob',
    });
    const early = await clone('course-f/students/template-bob', 'bob-early');
    expect(early.code).not.toBe(0);
    expect(early.out).toContain('The repository for this project does not exist yet.');
    expect((await settled(fork.id as number)).import_status).toBe('finished');
    expect((await clone('course-f/students/template-bob', 'bob')).code).toBe(0);
    t.lite.knobs.forkLatencyMs = 0;
  });

  it('reports a failed fork with its error', async () => {
    t.lite.knobs.failFork = ({ targetPath }) => targetPath.endsWith('template-carl');
    const fork = await t.api.Projects.fork(templateId, {
      namespaceId: studentsId,
      name: 'template carl',
      path: 'template-carl',
    });
    const done = await settled(fork.id as number);
    expect(done.import_status).toBe('failed');
    expect(done.import_error).toMatch(/^Failed to create fork repository/);
    t.lite.knobs.failFork = () => false;
  });

  it('answers a taken name and path with GitLab’s 409 array, and an unknown namespace with 404', async () => {
    const res = await fetch(`${t.lite.url}/api/v4/projects/${templateId}/fork`, {
      method: 'POST',
      headers: { 'private-token': rootToken, 'content-type': 'application/json' },
      body: JSON.stringify({ namespace_id: studentsId, name: 'template alice', path: 'template-alice' }),
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      message: ['Name has already been taken', 'Path has already been taken'],
    });
    const missing = await fetch(`${t.lite.url}/api/v4/projects/${templateId}/fork`, {
      method: 'POST',
      headers: { 'private-token': rootToken, 'content-type': 'application/json' },
      body: JSON.stringify({ namespace_path: 'no/such/group' }),
    });
    expect(await missing.json()).toEqual({ message: '404 Target Namespace Not Found' });
  });

  it('unlinks and relinks a fork relation', async () => {
    const alice = await t.api.Projects.show('course-f/students/template-alice');
    await t.api.Projects.removeForkRelationship(alice.id as number);
    expect((await t.api.Projects.show(alice.id as number)).forked_from_project).toBeUndefined();
    await t.api.Projects.createForkRelationship(alice.id as number, templateId);
    await expect(t.api.Projects.createForkRelationship(alice.id as number, templateId)).rejects.toMatchObject(
      {
        cause: { response: { status: 409 } },
      },
    );
  });

  it('takes up forks that were under way when it stopped', async () => {
    t.lite.knobs.forkLatencyMs = 60_000;
    const fork = await t.api.Projects.fork(templateId, {
      namespaceId: studentsId,
      name: 'template dora',
      path: 'template-dora',
    });
    await t.restart();
    expect((await settled(fork.id as number)).import_status).toBe('finished');
  });
});
