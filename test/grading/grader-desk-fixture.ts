import { createSubmissionStore } from '../../src/courses/index.ts';
import {
  createGradingJobStore,
  createReviewStore,
  type GradeResult,
  type QuestionResult,
} from '../../src/grading/index.ts';
import { notebook, templateCells } from '../support/grading-fixture.ts';
import { startTeachingRig } from '../support/teaching-rig.ts';

/** A check only grading.yml and the job's result hold: it must never reach a learner. */
export const hiddenSecret = 'HIDDEN-CHECK-SECRET-41c7';
export const hostileComment = 'Nice <img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))';

const gradingYml = `version: 1
files:
  - path: ex.ipynb
    questions:
      - id: squares
        title: Squares
        points: 3
        locate: { cell_id: q1 }
        checks:
          - { type: value, expr: "squares(4)", expect: [1, 4, 9, 16], points: 2 }
          - { type: value, expr: "squares(0)", expect: [], hidden: true }
      - id: essay
        locate: { cell_id: q2 }
        checks:
          - type: manual
            rubric: [{ points: 1, text: Clear names }, { points: 1, text: Explains why }]
`;

const question = (
  id: string,
  score: number,
  max: number,
  checks: QuestionResult['checks'],
): QuestionResult => ({
  id,
  file: 'ex.ipynb',
  score,
  maxScore: max,
  status: score === max ? 'passed' : score > 0 ? 'partial' : id === 'essay' ? 'manual' : 'failed',
  checks,
});

const resultOf = (squares: number): GradeResult => ({
  score: squares,
  maxScore: 5,
  durationMs: 1,
  questions: [
    question('squares', squares, 3, [
      { type: 'value', passed: squares >= 2, points: 2, hidden: false, message: 'squares(4) checked' },
      { type: 'value', passed: squares === 3, points: 1, hidden: true, message: hiddenSecret },
    ]),
    question('essay', 0, 2, [
      { type: 'manual', passed: false, points: 0, hidden: false, message: 'To be graded by your teacher' },
    ]),
  ],
});

/**
 * The teaching rig (no background rounds) with three graded learners: Ana (overridden, rubric ticked,
 * commented), Bob (late by 2 h) and a learner whose LMS name is a spreadsheet formula; a grading
 * repository with grading.yml, and finished grading jobs written through the job store.
 */
export async function startGraderDesk() {
  const rig = await startTeachingRig({ upkeep: false });
  const teacher = await rig.launch({ user_id: 't-1', roles: 'Instructor', lis_person_name_full: 'Prof T' });
  const people = [
    ['lms-ana', 'Ana Lima'],
    ['lms-bob', 'Bob Martin'],
    ['lms-eve', '=HYPERLINK("http://evil.test","x")'],
  ] as const;
  const sessions: Record<string, string> = {};
  for (const [id, name] of people)
    sessions[id] = await rig.launch({ user_id: id, lis_person_name_full: name, custom_assignment: 'ex1' });
  const [ana, bob, eve] = await Promise.all(people.map(([id]) => rig.forkOf(id)));
  const anaPush = await rig.push(ana!.path, { 'ex.ipynb': notebook(templateCells) });

  const teachers = await rig.gitlab.api.Groups.show('teachers');
  await rig.gitlab.api.Projects.create({
    name: 'ex1-grading',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  const gradingCommit = (await rig.push('teachers/ex1-grading', { 'grading.yml': gradingYml })).sha;
  await rig.app.services.assignments.setGradingRepo(rig.assignment.id, 'teachers/ex1-grading');

  const jobs = createGradingJobStore(rig.db);
  const head = async (forkId: number) =>
    (await rig.gitlab.api.Commits.all(forkId, { refName: 'main' }))[0]!.id;
  for (const fork of [ana!, bob!, eve!]) {
    await jobs.enqueue({
      runId: 'run-1',
      assignmentId: rig.assignment.id,
      userId: fork.userId,
      forkId: fork.id,
      submissionCommit: fork === ana ? anaPush.sha : await head(fork.id),
      gradingCommit,
    });
  }
  for (const job of await jobs.claim('run-1', 'w', 10, 60_000)) {
    const squares = job.userId === ana!.userId ? 2 : job.userId === bob!.userId ? 3 : 0;
    await jobs.finish(job.id, 'w', { result: { ...resultOf(squares), notes: [] } });
  }

  const reviews = createReviewStore(rig.db);
  const g = { assignmentId: rig.assignment.id, userId: ana!.userId, fromVersion: 0, graderId: 'grader' };
  await reviews.saveScore({ ...g, questionId: 'squares', score: 3, rubric: [], comment: hostileComment });
  await reviews.saveScore({
    ...g,
    questionId: 'essay',
    score: undefined,
    rubric: [{ item: 1, points: 1 }],
    comment: undefined,
  });
  await reviews.saveScore({
    ...g,
    questionId: '',
    score: undefined,
    rubric: [],
    comment: 'Good work overall',
  });
  await reviews.addComment({
    ...g,
    file: 'ex.ipynb',
    cell: 'q1',
    line: 2,
    body: 'Start at 1',
    authorId: 'grader',
  });

  const deadline = Date.now() - 86_400_000;
  await createSubmissionStore(rig.db).saveSubmission({
    assignmentId: rig.assignment.id,
    userId: bob!.userId,
    forkId: bob!.id,
    deadline,
    commit: undefined,
    tag: undefined,
    lockedAt: undefined,
    recordedAt: deadline,
    late: { sha: 'b'.repeat(40), pushedAt: deadline + 2 * 3_600_000 },
  });
  return { rig, teacher, sessions, ana: ana!, bob: bob!, eve: eve!, anaPush, reviews };
}

export type GraderDesk = Awaited<ReturnType<typeof startGraderDesk>>;

/** FEEDBACK.md as the learner's fork holds it now. */
export const feedbackIn = async (d: GraderDesk, forkId: number, branch = 'main') =>
  String(await d.rig.gitlab.api.RepositoryFiles.showRaw(forkId, 'FEEDBACK.md', branch));
