import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createAssignmentStore,
  createCourseStore,
  createExtensionStore,
  createSubmissionStore,
} from '../../src/courses/index.ts';
import { createAnswerCheck, createClassGrading } from '../../src/flows/index.ts';
import type { Workspace } from '../../src/workspaces/index.ts';
import { localSandbox } from '../support/local-sandbox.ts';
import { createGitlabForge, createProvisioner, type Provisioner } from '../../src/forge/index.ts';
import { createGradingJobStore } from '../../src/grading/index.ts';
import { connectEngine, createDockerJobs } from '../../src/workspaces/index.ts';
import { podmanSocket } from '../support/containers.ts';
import { cloneUrl, rootToken, startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { answers, gradingYml, notebook, templateCells } from '../support/grading-fixture.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts';

let t: TestGitlab;
let d: TestDatabase;
let provisioner: Provisioner;
let grading: ReturnType<typeof createClassGrading>;
let courseId = '';

/** git as a person would run it, with the commit dated `date`. */
async function git(cwd: string, args: string[], date = '2026-10-01T09:00:00Z') {
  const who = {
    GIT_AUTHOR_NAME: 'L',
    GIT_AUTHOR_EMAIL: 'l@x.invalid',
    GIT_COMMITTER_NAME: 'L',
    GIT_COMMITTER_EMAIL: 'l@x.invalid',
  };
  const env = {
    ...process.env,
    ...who,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    GIT_TERMINAL_PROMPT: '0',
  };
  await promisify(execFile)('git', args, { cwd, env });
}

/** Clones `project`, writes `files`, commits them dated `date` and pushes to main. */
async function push(project: string, files: Record<string, string>, date?: string) {
  const dir = path.join(t.work, `${project.replaceAll('/', '_')}-${Math.random().toString(36).slice(2)}`);
  await git(t.work, ['clone', '-q', cloneUrl(t.lite.url, project, rootToken), dir]);
  await git(dir, ['checkout', '-q', '-B', 'main']);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'work'], date);
  await git(dir, ['push', '-q', 'origin', 'HEAD:main']);
}

const solved = (replace: Record<string, string>) =>
  notebook(templateCells.map(([id, type, s]) => [id, type, replace[id] ?? s]));

beforeAll(async () => {
  t = await startTestGitlab();
  d = await openTestDatabase();
  const teachers = await t.api.Groups.create('Teachers', 'teachers');
  await t.api.Projects.create({ name: 'ex1', namespaceId: teachers.id as number });
  await push('teachers/ex1', { 'ex.ipynb': notebook(templateCells), 'data.csv': 'x\n1\n' });
  const course = await createCourseStore(d.db).ensureCourse({
    lms: 'lti11:k',
    contextId: 'ctx',
    title: 'Recherche reproductible',
    label: 'RR101',
  });
  courseId = course.id;
  const assignments = createAssignmentStore(d.db);
  await assignments.addAssignment({ courseId, slug: 'ex1', title: 'Exercice 1', template: 'teachers/ex1' });
  const forge = createGitlabForge({ url: t.lite.url, token: rootToken });
  provisioner = createProvisioner({
    db: d.db,
    forge,
    log: pino({ level: 'silent' }),
    options: { pollMs: 50 },
  });
  provisioner.start();
  grading = createClassGrading({
    forge,
    provisioner,
    courses: createCourseStore(d.db),
    assignments,
    gradingJobs: createGradingJobStore(d.db),
    sandbox: {
      jobs: createDockerJobs(connectEngine(podmanSocket)),
      image: inject('notebookImage'),
      uid: 1000,
    },
    maxSubmissionBytes: 50 << 20,
    submissions: createSubmissionStore(d.db),
    extensions: createExtensionStore(d.db),
  });
}, 120_000);
afterAll(async () => {
  await provisioner?.stop();
  await d?.close();
  await t?.close();
});

async function fork(learner: string) {
  let job = await provisioner.provision(learner, {
    kind: 'fork',
    person: { externUid: learner, username: learner, name: learner, email: `${learner}@x.invalid` },
    course: { id: courseId, path: 'rr101', name: 'RR101' },
    assignment: { slug: 'ex1', title: 'Exercice 1', template: 'teachers/ex1' },
  });
  while (job.status !== 'done') {
    if (job.status === 'failed') throw new Error(job.error?.message);
    await new Promise((r) => setTimeout(r, 100));
    job = (await provisioner.get(job.id))!;
  }
  return job.state.fork!.pathWithNamespace;
}

describe('grading a class from the forge', () => {
  it('makes the grading repository, grades each learner at the commit asked for, and reuses results', async () => {
    const repo = await grading.ensureGradingRepo(courseId, 'ex1');
    expect(repo).toBe('labgate/rr101/ex1-grading');
    expect(await grading.ensureGradingRepo(courseId, 'ex1')).toBe(repo); // made once
    await expect(grading.gradeClass({ courseId, slug: 'ex1', concurrency: 2 })).rejects.toThrow(
      /ex1-grading is empty/,
    );
    await push(repo, { 'grading.yml': gradingYml, 'ex.ipynb': solved(answers) });

    const [ada, bob] = await Promise.all([fork('ada'), fork('bob'), fork('cyd')]);
    await push(ada!, { 'ex.ipynb': solved({ q1: answers.q1 }) }, '2026-11-01T10:00:00Z');
    await push(ada!, { 'ex.ipynb': solved(answers) }, '2026-11-20T10:00:00Z');
    await push(bob!, { 'ex.ipynb': solved({ q2: answers.q2 }) }, '2026-11-05T10:00:00Z');

    const seen: number[] = [];
    const latest = await grading.gradeClass({
      courseId,
      slug: 'ex1',
      concurrency: 2,
      onProgress: (p) => seen.push(p.done),
    });
    const score = (run: typeof latest, user: string) => run.jobs.find((j) => j.userId === user)?.score;
    expect(latest.counts).toMatchObject({ done: 3, failed: 0 });
    expect([score(latest, 'ada'), score(latest, 'bob'), score(latest, 'cyd')]).toEqual([7, 2, 0]);
    expect(seen.at(-1)).toBe(3);

    const atDeadline = await grading.gradeClass({
      courseId,
      slug: 'ex1',
      concurrency: 2,
      at: new Date('2026-11-10T00:00:00Z'),
    });
    expect([score(atDeadline, 'ada'), score(atDeadline, 'bob')]).toEqual([4, 2]); // ada's first commit

    const again = await grading.gradeClass({ courseId, slug: 'ex1', concurrency: 2 });
    expect(again.jobs.map((j) => j.id).sort()).toEqual(latest.jobs.map((j) => j.id).sort());
    const stored = await d.db
      .selectFrom('grading_results')
      .selectAll()
      .where('job_id', '=', again.jobs.find((j) => j.userId === 'bob')!.id)
      .execute();
    expect(Object.fromEntries(stored.map((r) => [r.question_id, r.status]))).toMatchObject({
      squares: 'no-response',
      mean: 'passed',
    });

    // With a deadline, a class is graded as it stood then, unless the teacher asks for the newest work.
    const assignment = (await createAssignmentStore(d.db).findAssignment(courseId, 'ex1'))!;
    await createAssignmentStore(d.db).setDeadline(assignment.id, Date.parse('2026-11-10T00:00:00Z'));
    const atDue = await grading.gradeClass({ courseId, slug: 'ex1', concurrency: 2 });
    expect(atDue.at?.toISOString()).toBe('2026-11-10T00:00:00.000Z');
    expect(score(atDue, 'ada')).toBe(4);
    expect(
      score(await grading.gradeClass({ courseId, slug: 'ex1', concurrency: 2, latest: true }), 'ada'),
    ).toBe(7);

    // Once the deadline keeper recorded what the forge had received by then, that commit is graded:
    // ada's commits claim November dates, but GitLab received her last one before the deadline.
    const forge = createGitlabForge({ url: t.lite.url, token: rootToken });
    const adaFork = (await provisioner.listForks(courseId, 'ex1')).find((f) => f.userId === 'ada')!;
    const head = (await forge.latestCommit(adaFork.state.fork!.id, 'main'))!;
    const deadline = Date.parse('2026-11-10T00:00:00Z');
    await createSubmissionStore(d.db).saveSubmission({
      assignmentId: assignment.id,
      userId: 'ada',
      forkId: adaFork.state.fork!.id,
      deadline,
      commit: { sha: head.sha, pushedAt: deadline - 60_000 },
      tag: undefined,
      lockedAt: undefined,
      recordedAt: deadline,
      late: undefined,
    });
    const recorded = await grading.gradeClass({ courseId, slug: 'ex1', concurrency: 2 });
    expect(recorded.jobs.find((j) => j.userId === 'ada')?.submissionCommit).toBe(head.sha);
    expect(score(recorded, 'ada')).toBe(7);
  }, 300_000);

  it('Check my answer: visible checks only, the checks’ messages before the deadline, the diff after it', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'labgate-check-'));
    writeFileSync(
      path.join(folder, 'ex.ipynb'),
      solved({ q1: 'def squares(n):\n    return [i * i for i in range(n)]' }),
    );
    const session = await localSandbox(folder);
    const assignments = createAssignmentStore(d.db);
    const assignment = (await assignments.findAssignment(courseId, 'ex1'))!;
    let clock = Date.parse('2026-11-01T00:00:00Z');
    const check = createAnswerCheck({
      classGrading: grading,
      sandbox: {
        jobs: createDockerJobs(connectEngine(podmanSocket)),
        image: inject('notebookImage'),
        uid: 1000,
      },
      intervalSeconds: 60,
      now: () => clock,
    });
    const ws = { userId: 'eve', courseId, assignment: 'ex1', image: undefined } as unknown as Workspace;
    try {
      await assignments.setDeadline(assignment.id, Date.parse('2026-11-10T00:00:00Z'));
      const before = await check(ws, session);
      const squares = before.questions.find((q) => q.id === 'squares')!;
      expect(squares).toMatchObject({ status: 'not-yet', hint: 'Start the range at 1.' });
      expect(squares.checks).toHaveLength(2); // the hidden one never ran
      expect(squares.diff).toBeUndefined();
      expect(JSON.stringify(before)).not.toContain('squares(0)');
      await expect(check(ws, session)).rejects.toMatchObject({
        code: 'GRADING_CHECK_TOO_SOON',
        details: { seconds: 60 },
      });
      // fay's extension runs to the 25th: the answers stay hidden from her until then.
      await createExtensionStore(d.db).setExtension(assignment.id, 'fay', Date.parse('2026-11-25T00:00:00Z'));
      clock = Date.parse('2026-11-20T00:00:00Z');
      const after = await check(ws, session);
      const lines = after.questions.find((q) => q.id === 'squares')!.diff!;
      expect(lines).toContainEqual({ op: 'add', text: '    return [i * i for i in range(1, n + 1)]' });
      const extended = await check({ ...ws, userId: 'fay' } as Workspace, session);
      expect(extended.questions.find((q) => q.id === 'squares')!.diff).toBeUndefined();
    } finally {
      await session.close();
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
