import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createForkStateStore } from '../../src/courses/index.ts';
import { createFeedbackRelease, type QueuedGrade } from '../../src/flows/index.ts';
import { createGitlabForge, createProvisioner, ForgeCallError, type Forge } from '../../src/forge/index.ts';
import { createFeedbackDeliveryStore } from '../../src/grading/index.ts';
import { createLogger } from '../../src/logger.ts';
import { rootToken } from '../support/gitlab-lite.ts';
import { eventually } from '../support/teaching-rig.ts';
import { feedbackIn, hiddenSecret, startGraderDesk, type GraderDesk } from './grader-desk-fixture.ts';

describe('releasing feedback: FEEDBACK.md in every graded learner’s fork, grades to the LMS', () => {
  let d: GraderDesk;
  let clock = Date.now();
  const queued: Array<{ assignmentId: string; grades: QueuedGrade[] }> = [];
  /** Bob's fork refuses the next commit this many times with a 503, as an overloaded GitLab would. */
  let bobFailures = 0;
  const errors: string[] = [];
  let flow: ReturnType<typeof createFeedbackRelease>;
  const deliveries = () => createFeedbackDeliveryStore(d.rig.db).listOf(d.rig.assignment.id);
  const byUser = async () => new Map((await deliveries()).map((x) => [x.userId, x]));

  beforeAll(async () => {
    d = await startGraderDesk();
    const real = createGitlabForge({ url: d.rig.gitlab.lite.url, token: rootToken });
    const forge: Forge = {
      ...real,
      commitFiles: async (projectId, o) => {
        if (projectId === d.bob.id && bobFailures > 0) {
          bobFailures--;
          throw new ForgeCallError({ call: 'commits.create', status: 503, description: 'overloaded' });
        }
        return real.commitFiles(projectId, o);
      },
    };
    flow = createFeedbackRelease({
      courses: d.rig.app.services.courses,
      assignments: d.rig.app.services.assignments,
      reviews: d.reviews,
      deliveries: createFeedbackDeliveryStore(d.rig.db, () => clock),
      forkStates: createForkStateStore(d.rig.db),
      forge,
      provisioner: createProvisioner({ db: d.rig.db, forge: real, log: createLogger('silent'), options: {} }),
      grades: { queueGrades: async (assignmentId, grades) => void queued.push({ assignmentId, grades }) },
      onError: (err) => void errors.push((err as Error).message),
      now: () => clock,
    });
  }, 180_000);
  afterAll(async () => {
    await flow?.settled();
    await d?.rig.close();
  });

  it('commits FEEDBACK.md to each fork; one fork failing leaves the others done and is retried later', async () => {
    bobFailures = 1;
    const r = await flow.release(d.rig.course.id, 'ex1', 'teacher');
    expect(r.learners).toBe(3);
    await flow.settled();
    let rows = await byUser();
    expect(rows.get(d.ana.userId)).toMatchObject({ status: 'done', attempts: 1 });
    expect(rows.get(d.eve.userId)).toMatchObject({ status: 'done', attempts: 1 });
    expect(rows.get(d.bob.userId)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(rows.get(d.bob.userId)!.error).toMatch(/GitLab answered 503/);
    expect(flow.progress(d.rig.assignment.id)).toMatchObject({ total: 3, done: 2, failed: 1 });

    // Not yet: the retry waits 30 s after the failed try.
    await flow.deliverDue();
    expect((await byUser()).get(d.bob.userId)).toMatchObject({ status: 'pending', attempts: 1 });
    clock += 31_000;
    await flow.deliverDue();
    rows = await byUser();
    expect(rows.get(d.bob.userId)).toMatchObject({ status: 'done', attempts: 2, error: undefined });
    const commits = await d.rig.gitlab.api.Commits.all(d.bob.id, { refName: 'main' });
    expect(commits[0]!.id).toBe(rows.get(d.bob.userId)!.commitSha);
    // The course's sessions were opened in French (the LMS's launch locale).
    expect(commits[0]).toMatchObject({ title: 'Retour de l’enseignant·e', author_name: 'labgate' });
  });

  it('writes the learner’s final grade, graders’ comments escaped, and no hidden check', async () => {
    const md = await feedbackIn(d, d.ana.id);
    expect(md).toContain('**Total : 4 / 5**');
    expect(md).toContain('## Question Squares — 3 / 3');
    expect(md).toContain('Note automatique : 2 / 3, changée par votre enseignant·e en 3.');
    expect(md).toContain('- [x] Explains why (+1)');
    expect(md).toContain('> Nice \\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\*');
    expect(md).not.toMatch(/(?<!\\)</); // every < of a grader's text is escaped
    // The comment on cell q1 is placed by its position in Ana's submitted notebook.
    expect(md).toContain('- ex.ipynb, cellule 3, ligne 2 :');
    expect(md).toContain('> Good work overall');
    expect(md).toContain('Certaines vérifications cachées ne sont pas montrées ici.');
    for (const f of [d.ana, d.bob, d.eve]) expect(await feedbackIn(d, f.id)).not.toContain(hiddenSecret);
  });

  it('queues each graded learner’s final grade through the passback port', () => {
    expect(queued).toHaveLength(1);
    const grades = new Map(queued[0]!.grades.map((g) => [g.userId, g]));
    expect(queued[0]!.assignmentId).toBe(d.rig.assignment.id);
    expect(grades.get(d.ana.userId)).toEqual({
      userId: d.ana.userId,
      score: 4,
      maxScore: 5,
      comment: 'Good work overall',
    });
    expect(grades.get(d.bob.userId)).toMatchObject({ score: 3, maxScore: 5 });
    expect(grades.get(d.eve.userId)).toMatchObject({ score: 0, maxScore: 5 });
  });

  it('counts labgate’s commit as its own: the roster never shows it as the learner’s push', async () => {
    const sha = (await byUser()).get(d.ana.userId)!.commitSha!;
    await eventually('the forge’s hook for the FEEDBACK.md push', async () =>
      (await d.rig.db.selectFrom('forge_pushes').select('after_sha').where('after_sha', '=', sha).execute())
        .length
        ? true
        : undefined,
    );
    const roster = await d.rig.app.server.inject({
      url: `/courses/${encodeURIComponent(d.rig.course.id)}/assignments/ex1/roster.json`,
      cookies: { labgate_session: d.teacher },
    });
    const ana = (roster.json() as { learners: Array<{ userId: string; lastPushAt?: number }> }).learners.find(
      (l) => l.userId === d.ana.userId,
    )!;
    const ours = await d.rig.db
      .selectFrom('forge_pushes')
      .select('pushed_at')
      .where('after_sha', '=', sha)
      .execute();
    expect(ana.lastPushAt).toBeLessThan(Number(ours[0]!.pushed_at));
  });

  it('a grade changed after the release sends FEEDBACK.md and the grade again', async () => {
    const [squares] = (await d.reviews.scoresOf(d.rig.assignment.id, d.ana.userId)).filter(
      (s) => s.questionId === 'squares',
    );
    await d.reviews.saveScore({
      assignmentId: d.rig.assignment.id,
      userId: d.ana.userId,
      questionId: 'squares',
      score: 2.5,
      rubric: [],
      comment: squares!.comment,
      fromVersion: squares!.version,
      graderId: 'grader',
    });
    const r = await flow.refresh(d.rig.assignment.id, d.ana.userId);
    expect(r).toMatchObject({ feedback: 1, grades: { graded: 1, queued: 1 } });
    expect(queued.at(-1)!.grades).toEqual([expect.objectContaining({ userId: d.ana.userId, score: 3.5 })]);
    expect((await byUser()).get(d.ana.userId)).toMatchObject({ status: 'pending', attempts: 0 });
    await flow.deliverDue();
    expect((await byUser()).get(d.ana.userId)).toMatchObject({ status: 'done' });
    expect(await feedbackIn(d, d.ana.id)).toContain('**Total : 3,5 / 5**');
  });

  it('reports a fork the learner deleted; a locked branch gets FEEDBACK.md beside it, on `feedback`', async () => {
    await d.rig.gitlab.api.Projects.remove(d.eve.id);
    const real = createGitlabForge({ url: d.rig.gitlab.lite.url, token: rootToken });
    await real.lockBranch(d.bob.id, 'main');
    await flow.refresh(d.rig.assignment.id);
    await flow.deliverDue();
    const rows = await byUser();
    expect(rows.get(d.eve.userId)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(rows.get(d.eve.userId)!.error).toMatch(/no longer in GitLab/);
    // The deadline's lock stays: main keeps what was submitted, the feedback goes on its own branch.
    expect(rows.get(d.bob.userId)).toMatchObject({ status: 'done' });
    expect(await feedbackIn(d, d.bob.id, 'feedback')).toContain('Total');
    await expect(d.rig.gitlab.api.ProtectedBranches.show(d.bob.id, 'main')).resolves.toBeTruthy();
    expect(rows.get(d.ana.userId)).toMatchObject({ status: 'done' });
    // Failed ones wait for a person: later rounds leave them alone.
    clock += 3_600_000;
    await flow.deliverDue();
    expect((await byUser()).get(d.eve.userId)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('withdraws: learners no longer see it, and rounds deliver nothing for it', async () => {
    await flow.withdraw(d.rig.course.id, 'ex1');
    const a = await d.rig.app.services.assignments.findAssignment(d.rig.course.id, 'ex1');
    expect(a!.feedbackReleasedAt).toBeUndefined();
    expect(await flow.refresh(d.rig.assignment.id, d.ana.userId)).toEqual({ feedback: 0, grades: undefined });
  });
});
