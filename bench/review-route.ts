/**
 * The whole review page through the real route: labgate in process (SQLite in a temp DATA_DIR), gitlab-lite
 * in the same process as its forge, a course whose assignment's template is the generated notebook, a
 * grading repository locating a few questions, a learner's fork holding the submission, a finished
 * grading job for it and a teacher's session; then GETs of the page through `app.server.inject`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startGitlabLite } from '../gitlab-lite/index.ts';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createGradingJobStore, type QuestionResult } from '../src/grading/index.ts';
import { signLti11Launch } from '../src/simulator/index.ts';
import { isCodeCell, notebookBytes, type Cell } from './review-notebooks.ts';

const token = 'bench-review-root-token';
const base = 'http://localhost:8080';
const contextId = 'course-v1:bench+review';
const who = {
  GIT_AUTHOR_NAME: 'B',
  GIT_AUTHOR_EMAIL: 'b@x.invalid',
  GIT_COMMITTER_NAME: 'B',
  GIT_COMMITTER_EMAIL: 'b@x.invalid',
};
// Async: the forge answers from this same process, so a blocking git would wait forever.
const git = (args: string[], cwd: string) =>
  promisify(execFile)('git', args, {
    cwd,
    env: { ...process.env, ...who, GIT_TERMINAL_PROMPT: '0' },
  });

/** Code cells near the start, the middle and the end of the template that the submission kept: the questions. */
function questionCells(cells: { template: Cell[]; submission: Cell[] }) {
  const kept = new Set(cells.submission.map((c) => c.id));
  const code = cells.template.flatMap((c, i) => (isCodeCell(i) && kept.has(c.id) ? [i] : []));
  return [...new Set([code[0], code[Math.floor(code.length / 2)], code.at(-1)])].filter(
    (i) => i !== undefined,
  );
}

const gradingYml = (cells: number[]) => `version: 1
files:
  - path: ex.ipynb
    questions:
${cells
  .map(
    (i) => `      - id: q${i}
        points: 2
        locate: { cell_id: cell-${i} }
        checks:
          - { type: value, expr: "step_${i}(1)", expect: ${i + (i % 7) - (i % 11)} }
          - { type: manual, rubric: [ { points: 0.5, text: "clear" }, { points: 0.5, text: "explained" } ] }`,
  )
  .join('\n')}
`;

/** What the autograder would say: each question's value check passed, its manual part left to the grader. */
function gradeResult(cells: number[]) {
  const questions: QuestionResult[] = cells.map((i) => ({
    id: `q${i}`,
    file: 'ex.ipynb',
    score: 1,
    maxScore: 2,
    status: 'partial',
    checks: [
      { type: 'value', passed: true, points: 1, hidden: false, message: `step_${i}(1) is right` },
      { type: 'manual', passed: false, points: 0, hidden: false, message: '' },
    ],
  }));
  return {
    score: cells.length,
    maxScore: 2 * cells.length,
    durationMs: 10,
    notes: [] as string[],
    questions,
  };
}

/** Clones `project` as root, writes `files`, commits and pushes to main; resolves with the new commit. */
async function push(forgeUrl: string, work: string, project: string, files: Record<string, Buffer | string>) {
  const dir = mkdtempSync(path.join(work, 'push-'));
  const url = new URL(`${forgeUrl}/${project}.git`);
  [url.username, url.password] = ['root', token];
  await git(['clone', '-q', url.href, dir], work);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  await git(['add', '-A'], dir);
  await git(['commit', '-qm', 'bench'], dir);
  await git(['push', '-q', 'origin', 'HEAD:main'], dir);
  return (await git(['rev-parse', 'HEAD'], dir)).stdout.trim();
}

/** An LTI 1.1 launch as the LMS posts it; the session cookie it sets. */
async function launch(app: App, consumer: { key: string; secret: string }, over: Record<string, string>) {
  const params = signLti11Launch({
    launchUrl: `${base}/lti/launch`,
    consumerKey: consumer.key,
    secret: consumer.secret,
    nowSeconds: Math.floor(Date.now() / 1000),
    params: Object.entries({
      lti_message_type: 'basic-lti-launch-request',
      lti_version: 'LTI-1p0',
      roles: 'Learner',
      resource_link_id: 'bench',
      context_id: contextId,
      context_title: 'Bench',
      launch_presentation_locale: 'en',
      ...over,
    }),
  });
  const res = await app.server.inject({
    method: 'POST',
    url: '/lti/launch',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams(params).toString(),
  });
  const cookie = res.cookies.find((c) => c.name === 'labgate_session')?.value;
  if (!cookie) throw new Error(`launch of ${over['user_id']}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return cookie;
}

/** The learner's fork, once provisioning made it. */
async function forkOf(app: App, lmsId: string) {
  for (const until = Date.now() + 60_000; Date.now() < until;) {
    const row = await app.services.db
      .selectFrom('provisionings')
      .innerJoin('user_identities', 'user_identities.user_id', 'provisionings.user_id')
      .select(['provisionings.user_id', 'provisionings.status', 'provisionings.state'])
      .where('user_identities.subject', '=', lmsId)
      .where('provisionings.kind', '=', 'fork')
      .executeTakeFirst();
    if (row?.status === 'failed') throw new Error(`the fork of ${lmsId} failed`);
    if (row?.status === 'done') {
      const fork = (JSON.parse(row.state) as { fork: { id: number; pathWithNamespace: string } }).fork;
      return { userId: row.user_id, id: fork.id, path: fork.pathWithNamespace };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no fork for ${lmsId}`);
}

/** Sets the scene described above; the review page's URL, a teacher's session cookie, and the app. */
async function setUp(
  app: App,
  forgeUrl: string,
  work: string,
  cells: { template: Cell[]; submission: Cell[] },
) {
  const api = (p: string, body: unknown) =>
    fetch(`${forgeUrl}/api/v4/${p}`, {
      method: 'POST',
      headers: { 'private-token': token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => {
      if (!r.ok) throw new Error(`${p}: ${r.status} ${await r.text()}`);
      return (await r.json()) as { id: number };
    });
  const group = await api('groups', { name: 'Teachers', path: 'teachers' });
  await api('projects', { name: 'ex1', namespace_id: group.id });
  await api('projects', { name: 'ex1-grading', namespace_id: group.id });
  const template = notebookBytes(cells.template);
  const questions = questionCells(cells);
  await push(forgeUrl, work, 'teachers/ex1', { 'ex.ipynb': template });
  await push(forgeUrl, work, 'teachers/ex1-grading', {
    'grading.yml': gradingYml(questions),
    'ex.ipynb': template,
  });
  const consumer = await app.services.consumers.addConsumer({ name: 'LMS', key: 'bench-lms' });
  const course = await app.services.courses.ensureCourse({
    lms: `lti11:${consumer.key}`,
    contextId,
    title: 'Bench',
    label: 'B',
  });
  const assignment = await app.services.assignments.addAssignment({
    courseId: course.id,
    slug: 'ex1',
    title: 'Exercise 1',
    template: 'teachers/ex1',
  });
  await app.services.assignments.setGradingRepo(assignment.id, 'teachers/ex1-grading');
  const teacher = await launch(app, consumer, {
    user_id: 't-bench',
    roles: 'Instructor',
    lis_person_name_full: 'Tess Teacher',
  });
  await launch(app, consumer, {
    user_id: 'l-bench',
    lis_person_name_full: 'Lou Learner',
    custom_assignment: 'ex1',
  });
  const fork = await forkOf(app, 'l-bench');
  const sha = await push(forgeUrl, work, fork.path, { 'ex.ipynb': notebookBytes(cells.submission) });
  const jobs = createGradingJobStore(app.services.db);
  const runId = 'bench-run';
  const gradingCommit = 'g'.repeat(40);
  await jobs.enqueue({
    runId,
    assignmentId: assignment.id,
    userId: fork.userId,
    forkId: fork.id,
    submissionCommit: sha,
    gradingCommit,
  });
  const [job] = await jobs.claim(runId, 'bench', 1, 60_000);
  await jobs.finish(job!.id, 'bench', { result: gradeResult(questions) });
  const url = `/courses/${encodeURIComponent(course.id)}/assignments/ex1/review/${encodeURIComponent(fork.userId)}`;
  return { url, teacher, questions: questions.length };
}

export interface RouteFigures {
  /** The first GET: the forge's archives not cached yet. */
  cold: number;
  warm: number[];
  trivial: number[];
  bytes: number;
  /** Cell sections on the page, and question panels placed beside their cells. */
  sections: number;
  panels: number;
  questions: number;
}

/** Times `rounds` warm GETs of the review page (after a cold one), and as many of /healthz. */
export async function benchReviewRoute(cells: { template: Cell[]; submission: Cell[] }, rounds: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'labgate-bench-review-'));
  const lite = await startGitlabLite({ port: 0, dataDir: path.join(dir, 'forge'), rootToken: token });
  let app: App | undefined;
  try {
    app = await buildApp(
      loadConfig('demo', {
        DATA_DIR: path.join(dir, 'labgate'),
        LOG_LEVEL: 'silent',
        PUBLIC_BASE_URL: base,
        SIMULATOR: 'off',
        EMBEDDED_FORGE: 'off',
        FORGE_URL: lite.url,
        FORGE_TOKEN: token,
      }),
      { upkeep: false },
    );
    const s = await setUp(app, lite.url, dir, cells);
    const get = async (url: string) => {
      const started = performance.now();
      const res = await app!.server.inject({ method: 'GET', url, cookies: { labgate_session: s.teacher } });
      const ms = performance.now() - started;
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return { ms, body: res.body, bytes: res.rawPayload.length };
    };
    const first = await get(s.url);
    const warm: number[] = [];
    for (let i = 0; i < rounds; i++) warm.push((await get(s.url)).ms);
    await get('/healthz');
    const trivial: number[] = [];
    for (let i = 0; i < rounds; i++) trivial.push((await get('/healthz')).ms);
    const count = (re: RegExp) => first.body.match(re)?.length ?? 0;
    return {
      cold: first.ms,
      warm,
      trivial,
      bytes: first.bytes,
      sections: count(/<section class="cell/g),
      panels: count(/class="panel question"\s+data-question=/g) - count(/<div class="lost">/g),
      questions: s.questions,
    } satisfies RouteFigures;
  } finally {
    await app?.close();
    await lite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
