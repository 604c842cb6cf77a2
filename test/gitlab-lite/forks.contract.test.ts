import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Gitlab } from '@gitbeaker/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabLite } from '../../gitlab-lite/index.ts';
import { expectSchema } from '../support/gitlab-schemas.ts';

const exec = promisify(execFile);
const rootToken = 'root-token-for-tests';
let lite: Awaited<ReturnType<typeof startGitlabLite>>;
let dataDir: string;
let work: string;
let api: InstanceType<typeof Gitlab>;
let templateId: number;
let studentsId: number;

async function clone(fullPath: string, dir: string) {
  const url = new URL(`${lite.url}/${fullPath}.git`);
  url.username = 'root';
  url.password = rootToken;
  try {
    await exec('git', ['clone', '--quiet', url.href, path.join(work, dir)], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    return { code: 0, out: '' };
  } catch (err) {
    return { code: 1, out: String((err as { stderr: string }).stderr) };
  }
}

/** Polls the fork as labgate will: until import_status is finished or failed. */
async function settled(id: number) {
  for (let i = 0; i < 200; i++) {
    const p = await api.Projects.show(id);
    if (p.import_status === 'finished' || p.import_status === 'failed') return p;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('fork never settled');
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'gitlab-lite-'));
  work = mkdtempSync(path.join(tmpdir(), 'gitlab-lite-work-'));
  lite = await startGitlabLite({ port: 0, dataDir, rootToken });
  api = new Gitlab({ host: lite.url, token: rootToken });
  const course = await api.Groups.create('Course F', 'course-f');
  studentsId = (await api.Groups.create('Students', 'students', { parentId: course.id as number }))
    .id as number;
  templateId = (
    await api.Projects.create({
      name: 'template',
      namespaceId: course.id as number,
      initializeWithReadme: true,
    })
  ).id as number;
});
afterAll(async () => {
  await lite.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('gitlab-lite forks', () => {
  it('forks asynchronously: scheduled at once, finished later, with the template’s history and a protected branch', async () => {
    const fork = await api.Projects.fork(templateId, {
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
    expect(existsSync(path.join(work, 'alice', 'README.md'))).toBe(true);
    expect((await api.ProtectedBranches.all(fork.id as number)).map((b) => b.name)).toEqual(['main']);
    expect((await api.Projects.allForks(templateId)).map((f) => f.id)).toEqual([fork.id]);
  });

  it('refuses to serve a fork before it is finished', async () => {
    lite.knobs.forkLatencyMs = 400;
    const fork = await api.Projects.fork(templateId, {
      namespaceId: studentsId,
      name: 'template bob',
      path: 'template-bob',
    });
    const early = await clone('course-f/students/template-bob', 'bob-early');
    expect(early.code).not.toBe(0);
    expect(early.out).toContain('The repository for this project does not exist yet.');
    expect((await settled(fork.id as number)).import_status).toBe('finished');
    expect((await clone('course-f/students/template-bob', 'bob')).code).toBe(0);
    lite.knobs.forkLatencyMs = 0;
  });

  it('reports a failed fork with its error', async () => {
    lite.knobs.failFork = ({ targetPath }) => targetPath.endsWith('template-carl');
    const fork = await api.Projects.fork(templateId, {
      namespaceId: studentsId,
      name: 'template carl',
      path: 'template-carl',
    });
    const done = await settled(fork.id as number);
    expect(done.import_status).toBe('failed');
    expect(done.import_error).toMatch(/^Failed to create fork repository/);
    lite.knobs.failFork = () => false;
  });

  it('answers a taken name and path with GitLab’s 409 array, and an unknown namespace with 404', async () => {
    const res = await fetch(`${lite.url}/api/v4/projects/${templateId}/fork`, {
      method: 'POST',
      headers: { 'private-token': rootToken, 'content-type': 'application/json' },
      body: JSON.stringify({ namespace_id: studentsId, name: 'template alice', path: 'template-alice' }),
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      message: ['Name has already been taken', 'Path has already been taken'],
    });
    const missing = await fetch(`${lite.url}/api/v4/projects/${templateId}/fork`, {
      method: 'POST',
      headers: { 'private-token': rootToken, 'content-type': 'application/json' },
      body: JSON.stringify({ namespace_path: 'no/such/group' }),
    });
    expect(await missing.json()).toEqual({ message: '404 Target Namespace Not Found' });
  });

  it('unlinks and relinks a fork relation', async () => {
    const alice = await api.Projects.show('course-f/students/template-alice');
    await api.Projects.removeForkRelationship(alice.id as number);
    expect((await api.Projects.show(alice.id as number)).forked_from_project).toBeUndefined();
    await api.Projects.createForkRelationship(alice.id as number, templateId);
    await expect(api.Projects.createForkRelationship(alice.id as number, templateId)).rejects.toMatchObject({
      cause: { response: { status: 409 } },
    });
  });

  it('takes up forks that were under way when it stopped', async () => {
    lite.knobs.forkLatencyMs = 60_000;
    const fork = await api.Projects.fork(templateId, {
      namespaceId: studentsId,
      name: 'template dora',
      path: 'template-dora',
    });
    await lite.close();
    lite = await startGitlabLite({ port: 0, dataDir, rootToken });
    api = new Gitlab({ host: lite.url, token: rootToken });
    expect((await settled(fork.id as number)).import_status).toBe('finished');
  });
});
