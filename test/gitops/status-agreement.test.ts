import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAndPush, pull, summarize } from '../../src/gitops/index.ts';
import { closeLocalSandboxes } from '../support/local-sandbox.ts';
import { startTestGitlab, type TestGitlab } from '../support/gitlab-lite.ts';
import { learnerRig, notebook } from './learner-repo-rig.ts';

let t: TestGitlab;
beforeAll(async () => {
  t = await startTestGitlab();
});
afterAll(async () => {
  await closeLocalSandboxes();
  await t?.close();
});

const start = () =>
  learnerRig(t, { 'ex.ipynb': notebook([{ id: 'q1', source: '# answer' }]), 'README.md': 'hi\n' });
const subjects = async (r: Awaited<ReturnType<typeof start>>) =>
  (await r.git(['log', '--format=%s'])).trim().split('\n');

describe('Status and Commit & push after a Pull', () => {
  it('agree: what Status counts as not in GitLab yet is what Commit & push sends', async () => {
    const r = await start();
    await r.teacherPushes({ 'README.md': 'fixed\n' });
    r.learnerEdits({ 'ex.ipynb': notebook([{ id: 'q1', source: 'answer = 42' }]) });
    await pull(r.repo);
    const before = await summarize(r.repo);
    expect(before).toMatchObject({ changed: [], behind: 0 });
    // The learner's work saved before the merge, the teacher's commit and the merge itself.
    expect(before.ahead).toBe(3);

    const saved = await commitAndPush(r.repo);
    expect(saved).toMatchObject({ committed: false, pushed: true, sent: before.ahead });
    expect(await summarize(r.repo)).toMatchObject({ ahead: 0, behind: 0, changed: [] });
    // Nothing left to send: the next one says so.
    expect(await commitAndPush(r.repo)).toMatchObject({ committed: false, pushed: true, sent: 0 });
  });

  it('counts a new save with the ones it carries along', async () => {
    const r = await start();
    await r.teacherPushes({ 'README.md': 'fixed\n' });
    await pull(r.repo);
    const { ahead } = await summarize(r.repo);
    r.learnerEdits({ 'notes.txt': 'mine\n' });
    expect(await commitAndPush(r.repo, { message: 'Notes' })).toMatchObject({
      committed: true,
      sent: ahead + 1,
    });
  });
});

describe('the commits labgate makes for the learner', () => {
  it('are worded in plain words in their language, and stay merges of the teacher’s update', async () => {
    const r = await start();
    r.repo.ctx.lang = 'fr';
    await r.teacherPushes({ 'README.md': 'fixed\n' });
    r.learnerEdits({ 'ex.ipynb': notebook([{ id: 'q1', source: 'answer = 42' }]) });
    await pull(r.repo);
    const log = await subjects(r);
    expect(log[0]).toBe('Mises à jour de l’enseignant·e');
    expect(log.slice(1).sort()).toEqual([
      'Exercise',
      'Fix the exercise',
      'Votre travail, enregistré avant de récupérer les mises à jour',
    ]);
    expect((await r.git(['log', '-1', '--format=%P'])).trim().split(' ')).toHaveLength(2);
    expect((await summarize(r.repo)).lastCommit?.message).toBe('Mises à jour de l’enseignant·e');
    r.learnerEdits({ 'notes.txt': 'x\n' });
    await commitAndPush(r.repo);
    expect((await subjects(r))[0]).toBe('Travail enregistré depuis JupyterLab');
  });

  it('are in English for an English session', async () => {
    const r = await start();
    r.repo.ctx.lang = 'en';
    await r.teacherPushes({ 'README.md': 'fixed\n' });
    r.learnerEdits({ 'README.md': 'mine\n' });
    await pull(r.repo);
    expect((await subjects(r)).slice(0, 1)).toEqual(['Updates from your teacher']);
    expect(await subjects(r)).toContain('Your work, saved before bringing in updates');
  });
});
