import {
  createAssignmentStore,
  createCourseStore,
  createExtensionStore,
  createRosterStore,
  createSubmissionStore,
} from '../../src/courses/index.ts';
import { cachedArchives, createSubmissionReview } from '../../src/flows/index.ts';
import { createGitlabForge, createProvisioner } from '../../src/forge/index.ts';
import { createGradingJobStore, createReviewStore, type GradeResult } from '../../src/grading/index.ts';
import { createUserStore } from '../../src/identity/index.ts';
import { rootToken } from './gitlab-lite.ts';
import { startTeachingRig } from './teaching-rig.ts';

type Output = Record<string, unknown>;
type Cell = { id: string; type: 'code' | 'markdown'; source: string; outputs?: Output[] };

/** A notebook (nbformat 4.5) of these cells; code cells may carry outputs. */
export const notebookOf = (cells: Cell[]) =>
  `${JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      cells: cells.map((c) =>
        c.type === 'code'
          ? {
              id: c.id,
              cell_type: 'code',
              source: c.source,
              metadata: {},
              outputs: c.outputs ?? [],
              execution_count: null,
            }
          : { id: c.id, cell_type: 'markdown', source: c.source, metadata: {} },
      ),
    },
    null,
    1,
  )}\n`;

export const templateCells: Cell[] = [
  { id: 'intro', type: 'markdown', source: '# Squares and means' },
  { id: 'setup', type: 'code', source: 'import math\nLIMIT = 10' },
  {
    id: 'q1',
    type: 'code',
    source: 'def squares(n):\n    # YOUR CODE HERE\n    raise NotImplementedError()',
  },
  { id: 'q2', type: 'code', source: 'def mean(xs):\n    # YOUR CODE HERE\n    raise NotImplementedError()' },
  { id: 'q3', type: 'code', source: '# print the sum of 1..LIMIT' },
];

export const answers: Record<string, string> = {
  q1: 'def squares(n):\n    # YOUR CODE HERE\n    return [i * i for i in range(1, n + 1)]',
  q2: 'def mean(xs):\n    return sum(xs) / len(xs)',
  q3: 'print(sum(range(1, LIMIT + 1)))',
};

/** A file name and notebook content that would run script in a careless page. */
export const hostileName = 'evil"<script>alert(8)</script>.md';
export const hostileCells = [
  ...templateCells.slice(0, 3).map((c) => ({ ...c, source: answers[c.id] ?? c.source })),
  {
    id: 'evil-md',
    type: 'markdown' as const,
    source: '<script>alert("md")</script><img src=x onerror=alert(2)>',
  },
  {
    ...templateCells[3]!,
    outputs: [
      { output_type: 'stream', name: 'stdout', text: '<script>alert(3)</script>' },
      {
        output_type: 'display_data',
        metadata: {},
        data: {
          'text/html':
            '<img src=x onerror=alert(4)><script>alert(5)</script><a href="javascript:alert(6)">x</a>',
          'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(7)"></svg>',
          'text/plain': 'x',
        },
      },
    ],
  },
  templateCells[4]!,
];

/** The `<section>` of the block `anchor` in a review page. */
export const section = (body: string, anchor: string) => {
  const start = body.indexOf(`<section class="cell`, body.indexOf(`data-anchor="${anchor}"`) - 200);
  return body.slice(start, body.indexOf('</section>', start) + 10);
};

/** A message only the grader may read: a learner who sees it learnt of a hidden check. */
export const hiddenMessage = 'HIDDEN-CHECK-MESSAGE-41c7';

export const gradingYml = `version: 1
files:
  - path: ex.ipynb
    questions:
      - id: squares
        points: 3
        locate: { cell_id: q1 }
        checks:
          - { type: value, expr: "squares(4)", expect: [1, 4, 9, 16], points: 2 }
          - { type: value, expr: "squares(0)", expect: [], hidden: true }
      - id: mean
        points: 2
        locate: { cell_id: q2 }
        checks:
          - { type: value, expr: "mean([1, 2, 3, 4])", expect: 2.5 }
          - { type: manual, rubric: [ { points: 0.5, text: "handles empty lists" }, { points: 0.5, text: "clear naming" } ] }
      - id: total
        points: 1
        locate: { cell_id: q3 }
        checks:
          - { type: output, stream: stdout, match: { numbers: [55] } }
`;

/** What the autograder said of a submission (written as a finished grading job, no container needed). */
export const gradeResult = (): GradeResult & { notes: string[] } => ({
  score: 3,
  maxScore: 6,
  durationMs: 10,
  notes: [],
  questions: [
    {
      id: 'squares',
      file: 'ex.ipynb',
      score: 2,
      maxScore: 3,
      status: 'partial',
      checks: [
        { type: 'value', passed: true, points: 2, hidden: false, message: 'squares(4) is right' },
        { type: 'value', passed: false, points: 0, hidden: true, message: hiddenMessage },
      ],
    },
    {
      id: 'mean',
      file: 'ex.ipynb',
      score: 1,
      maxScore: 2,
      status: 'partial',
      checks: [
        { type: 'value', passed: true, points: 1, hidden: false, message: 'mean([1, 2, 3, 4]) is right' },
        { type: 'manual', passed: false, points: 0, hidden: false, message: '' },
      ],
    },
    {
      id: 'total',
      file: 'ex.ipynb',
      score: 0,
      maxScore: 1,
      status: 'failed',
      checks: [
        { type: 'output', passed: false, points: 0, hidden: false, message: 'No 55 in what it printed.' },
      ],
    },
  ],
});

/**
 * The teaching rig with a graded exercise: template ex.ipynb, a grading repository (grading.yml and
 * the expected ex.ipynb), two teachers, and learners Ana, Bea and Cy with their forks.
 */
export async function startReviewRig() {
  const rig = await startTeachingRig();
  const t = await rig.push('teachers/ex1', { 'ex.ipynb': notebookOf(templateCells), 'data.csv': 'x\n1\n' });
  if (t.code !== 0) throw new Error(t.out);
  const group = (await rig.gitlab.api.Groups.show('teachers')) as { id: number };
  await rig.gitlab.api.Projects.create({
    name: 'ex1-grading',
    namespaceId: group.id,
    initializeWithReadme: true,
  });
  const expected = templateCells.map((c) => ({ ...c, source: answers[c.id] ?? c.source }));
  const g = await rig.push('teachers/ex1-grading', {
    'grading.yml': gradingYml,
    'ex.ipynb': notebookOf(expected),
  });
  if (g.code !== 0) throw new Error(g.out);
  await rig.app.services.assignments.setGradingRepo(rig.assignment.id, 'teachers/ex1-grading');
  const staff = async (id: string, name: string) =>
    rig.launch({ user_id: id, roles: 'Instructor', lis_person_name_full: name });
  const learner = async (id: string, name: string) => {
    const session = await rig.launch({ user_id: id, lis_person_name_full: name, custom_assignment: 'ex1' });
    return { session, ...(await rig.forkOf(id)) };
  };
  const tom = await staff('t-tom', 'Tom Teacher');
  const sue = await staff('t-sue', 'Sue Assistant');
  const ana = await learner('l-ana', 'Ana Lima');
  const bea = await learner('l-bea', 'Bea Costa');
  const cy = await learner('l-cy', 'Cy Dupont');
  const jobs = createGradingJobStore(rig.db);
  /** A finished grading of `userId`'s commit `sha`, as a class grading run would leave it. */
  async function graded(who: { userId: string; id: number }, sha: string, result = gradeResult()) {
    const runId = `run-${who.userId}-${sha.slice(0, 6)}`;
    await jobs.enqueue({
      runId,
      assignmentId: rig.assignment.id,
      userId: who.userId,
      forkId: who.id,
      submissionCommit: sha,
      gradingCommit: 'g'.repeat(40),
    });
    const [job] = await jobs.claim(runId, 'test', 1, 60_000);
    await jobs.finish(job!.id, 'test', { result });
  }
  /** The submission recorded at a deadline just past: `sha`, received 5 s before it. */
  const recorded = (who: { userId: string; id: number }, sha: string) =>
    createSubmissionStore(rig.db).saveSubmission({
      assignmentId: rig.assignment.id,
      userId: who.userId,
      forkId: who.id,
      deadline: Date.now() - 1000,
      commit: { sha, pushedAt: Date.now() - 6000 },
      tag: undefined,
      lockedAt: undefined,
      recordedAt: Date.now(),
      late: undefined,
    });
  const csrfOf = async (session: string) => (await rig.app.services.sessions.findSession(session))!.csrfToken;
  const reviewUrl = (userId: string, query = '') =>
    `/courses/${encodeURIComponent(rig.course.id)}/assignments/ex1/review/${encodeURIComponent(userId)}${query}`;
  /** The review flow on the rig's database and forge, built apart from the app (its own limits). */
  function flowOf(o: { maxFileBytes?: number } = {}) {
    const db = rig.db;
    const forge = cachedArchives(createGitlabForge({ url: rig.gitlab.lite.url, token: rootToken }));
    const log = { info() {}, warn() {}, error() {} };
    return createSubmissionReview({
      forge,
      provisioner: createProvisioner({ db, forge, log: log as never }),
      courses: createCourseStore(db),
      assignments: createAssignmentStore(db),
      roster: createRosterStore(db),
      submissions: createSubmissionStore(db),
      extensions: createExtensionStore(db),
      reviews: createReviewStore(db),
      users: createUserStore(db),
      maxSubmissionBytes: 2 ** 24,
      ...o,
    });
  }
  return { rig, tom, sue, ana, bea, cy, graded, recorded, csrfOf, reviewUrl, flowOf };
}

export type ReviewRig = Awaited<ReturnType<typeof startReviewRig>>;
