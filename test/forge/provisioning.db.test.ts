import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootToken, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';
import {
  createGitlabForge,
  createProvisioner,
  type Provisioner,
  type Provisioning,
  type ProvisionSpec,
} from '../../src/forge/index.ts';

let t: TestGitlab;
let d: TestDatabase;
const log = pino({ level: 'silent' });
const retry = {
  attempts: 6,
  baseDelayMs: 1,
  maxDelayMs: 20,
  sleep: async (ms: number) => void (await new Promise((r) => setTimeout(r, ms))),
  random: Math.random,
};

beforeAll(async () => {
  t = await startTestGitlab();
  d = await openTestDatabase();
  const teachers = await t.api.Groups.create('Teachers', 'teachers');
  await t.api.Projects.create({
    name: 'ex1',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  await t.api.Projects.create({ name: 'empty', namespaceId: teachers.id as number });
});
afterAll(async () => {
  await d.close();
  await t.close();
});

const forge = () => createGitlabForge({ url: t.lite.url, token: rootToken, retry });
const course = { id: 'c-1', path: 'python-101', name: 'Python 101' };
const learner = (n: number, template = 'teachers/ex1'): ProvisionSpec => ({
  kind: 'fork',
  person: { externUid: `sub-${n}`, username: `learner${n}`, name: `Learner ${n}`, email: `l${n}@x.invalid` },
  course,
  assignment: { slug: 'ex1', title: 'Exercise 1', template },
});

function provisioner(options = {}) {
  return createProvisioner({
    db: d.db,
    forge: forge(),
    log,
    options: { pollMs: 50, leaseMs: 1_000, ...options },
  });
}

async function settled(p: Provisioner, id: string): Promise<Provisioning> {
  for (;;) {
    const job = (await p.get(id))!;
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('provisioning a learner', () => {
  it('makes the account, the course group and one fork the learner can push to, reporting each step', async () => {
    const p = provisioner();
    p.start();
    const seen: string[] = [];
    const job = await p.provision('u-1', learner(1));
    const off = p.subscribe(job.id, (j) => seen.push(j.step));
    const done = await settled(p, job.id);
    expect(done.status).toBe('done');
    // The row says done a moment before the news of it reaches subscribers.
    await expect
      .poll(() => seen)
      .toEqual(expect.arrayContaining(['group', 'template', 'fork', 'fork_wait', 'access', 'done']));
    off();
    await p.stop();
    const fork = await t.api.Projects.show(done.state.fork!.id);
    expect(fork).toMatchObject({
      path_with_namespace: 'labgate/python-101/ex1-learner1',
      visibility: 'private',
      import_status: 'finished',
    });
    const member = await t.api.ProjectMembers.show(fork.id as number, done.state.forgeUser!.id);
    expect(member.access_level).toBe(30);
    const rule = await t.api.ProtectedBranches.show(fork.id as number, 'main');
    expect((rule.push_access_levels as Array<{ access_level: number }>)[0]!.access_level).toBe(30);
  });

  it('gives one job and one fork to a learner who launches three times at once, even from two processes', async () => {
    const [a, b] = [provisioner(), provisioner()];
    a.start();
    b.start();
    const jobs = await Promise.all([
      a.provision('u-2', learner(2)),
      b.provision('u-2', learner(2)),
      a.provision('u-2', learner(2)),
    ]);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(1);
    expect((await settled(a, jobs[0]!.id)).status).toBe('done');
    await Promise.all([a.stop(), b.stop()]);
    const template = await t.api.Projects.show('teachers/ex1');
    const forks = await t.api.Projects.allForks(template.id as number);
    expect(forks.filter((f) => f.path === 'ex1-learner2')).toHaveLength(1);
  });

  it('keeps a course in the GitLab group it got first, even after the course is renamed', async () => {
    const p = provisioner();
    p.start();
    const renamed = { ...learner(8), course: { ...course, path: 'python-2027', name: 'Python 2027' } };
    const done = await settled(p, (await p.provision('u-8', renamed)).id);
    await p.stop();
    expect(done.state.group?.fullPath).toBe('labgate/python-101');
  });

  it('stops with a clear message for a deleted template and for one with no commits', async () => {
    const p = provisioner();
    p.start();
    const missing = await settled(p, (await p.provision('u-3', learner(3, 'teachers/gone'))).id);
    const empty = await settled(p, (await p.provision('u-4', learner(4, 'teachers/empty'))).id);
    await p.stop();
    expect(missing).toMatchObject({
      status: 'failed',
      step: 'template',
      error: { code: 'PROVISION_TEMPLATE_MISSING' },
    });
    expect(missing.error!.message).toContain('"teachers/gone" does not exist');
    expect(empty).toMatchObject({ status: 'failed', error: { code: 'PROVISION_TEMPLATE_EMPTY' } });
    expect(empty.error!.message).toContain('no commits');
  });

  it('re-forks after GitLab fails a fork, leaving no failed copy behind', async () => {
    let failures = 1;
    t.lite.knobs.failFork = ({ targetPath }) => targetPath.endsWith('ex1-learner5') && failures-- > 0;
    const p = provisioner();
    p.start();
    const done = await settled(p, (await p.provision('u-5', learner(5))).id);
    await p.stop();
    t.lite.knobs.failFork = () => false;
    expect(done).toMatchObject({ status: 'done', state: { forkFailures: 1 } });
    const fork = await t.api.Projects.show(done.state.fork!.id);
    expect(fork).toMatchObject({ path: 'ex1-learner5', import_status: 'finished' });
  });

  it('gives up, saying why, when GitLab fails every fork, and leaves no failed copy behind', async () => {
    t.lite.knobs.failFork = ({ targetPath }) => targetPath.includes('ex1-learner9');
    const p = provisioner();
    p.start();
    const failed = await settled(p, (await p.provision('u-9', learner(9))).id);
    await p.stop();
    t.lite.knobs.failFork = () => false;
    expect(failed).toMatchObject({
      status: 'failed',
      step: 'fork_wait',
      error: { code: 'PROVISION_FORK_FAILED' },
    });
    expect(failed.error!.message).toContain('5 times');
    const leftovers = (await t.api.Projects.all({ search: 'ex1-learner9' })).filter(
      (project) => project.import_status === 'failed',
    );
    expect(leftovers).toEqual([]);
  });

  it('lets another process finish a job that a stopped one left waiting on its fork', async () => {
    t.lite.knobs.forkLatencyMs = 300;
    const dying = provisioner({ leaseMs: 400 });
    dying.start();
    const job = await dying.provision('u-6', learner(6));
    for (;;) {
      const j = (await dying.get(job.id))!;
      if (j.step === 'fork_wait') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await dying.stop(); // from here on it is as good as dead: nothing renews or releases its jobs
    const next = provisioner({ leaseMs: 400 });
    next.start();
    const done = await settled(next, job.id);
    await next.stop();
    t.lite.knobs.forkLatencyMs = 0;
    expect(done.status).toBe('done');
    const forks = await t.api.Projects.allForks((await t.api.Projects.show('teachers/ex1')).id as number);
    expect(forks.filter((f) => f.path === 'ex1-learner6')).toHaveLength(1);
  });

  it('queues a failed job again when the learner relaunches, and finishes it once the teacher fixed the template', async () => {
    const p = provisioner();
    p.start();
    const failed = await settled(p, (await p.provision('u-7', learner(7, 'teachers/later'))).id);
    expect(failed.status).toBe('failed');
    const teachers = await t.api.Groups.show('teachers');
    await t.api.Projects.create({
      name: 'later',
      namespaceId: teachers.id as number,
      initializeWithReadme: true,
    });
    const again = await p.provision('u-7', learner(7, 'teachers/later'));
    expect(again).toMatchObject({ id: failed.id, status: 'queued', error: undefined });
    expect((await settled(p, again.id)).status).toBe('done');
    await p.stop();
  });
});
