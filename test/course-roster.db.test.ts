import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRosterStore } from '../src/courses/index.ts';
import { createGradingJobStore } from '../src/grading/index.ts';
import {
  formEncode,
  getWithSession,
  learnerParams,
  postLaunch,
  sessionCookieOf,
  signedLaunch,
  startTestApp,
  type TestApp,
} from './support/test-app.ts';

let t: TestApp;
let teacher: string;
let learner: string;
let courseId = '';
const launchAs = async (over: Record<string, string>) =>
  sessionCookieOf(await postLaunch(t, formEncode(signedLaunch(t, { params: learnerParams(over) }))))!;

beforeAll(async () => {
  t = await startTestApp();
  teacher = await launchAs({ user_id: 't-1', roles: 'Instructor', lis_person_name_full: 'Prof Tournesol' });
  learner = await launchAs({ user_id: 'l-1', lis_person_name_full: 'Ada Lovelace' });
  await launchAs({ user_id: 'l-2', lis_person_name_full: '=HYPERLINK("http://evil.test","x")' });
  await launchAs({ user_id: 'l-3', lis_person_name_full: 'Zoé, "la" Grande' });
  courseId = (await t.app.services.courses.listCourses())[0]!.id;
  const a = await t.app.services.assignments.addAssignment({
    courseId,
    slug: 'ex1',
    title: 'Exercice 1',
    template: 'teachers/ex1',
  });
  // Ada has been graded; her grade is on the roster.
  const users = await t.db.selectFrom('users').select(['id', 'display_name']).execute();
  const ada = users.find((u) => u.display_name === 'Ada Lovelace')!.id;
  const jobs = createGradingJobStore(t.db);
  await jobs.enqueue({
    runId: 'r',
    assignmentId: a.id,
    userId: ada,
    forkId: 1,
    submissionCommit: 'a'.repeat(40),
    gradingCommit: 'g'.repeat(40),
  });
  const [job] = await jobs.claim('r', 'w', 1, 60_000);
  await jobs.finish(job!.id, 'w', {
    result: { score: 6.5, maxScore: 7, questions: [], durationMs: 1, notes: [] },
  });
});
afterAll(() => t?.close());

const roster = (suffix = '', query = '', who = teacher) =>
  getWithSession(t, `/courses/${courseId}/assignments/ex1/roster${suffix}${query}`, who);

describe('the course page and the roster, for the course’s staff', () => {
  it('links the teacher from home to the course page, which counts each assignment’s learners', async () => {
    const home = await getWithSession(t, '/home', teacher);
    expect(home.body).toContain(`href="/courses/${courseId}?lang=fr"`);
    const course = await getWithSession(t, `/courses/${courseId}`, teacher);
    expect(course.statusCode).toBe(200);
    expect(course.body).toMatch(/data-count="learners">3</);
    expect(course.body).toMatch(/data-count="graded">1</);
    expect(course.body).toContain('assignment=ex1');
  });

  it('lists every learner, sorted and filtered as asked, with their grade, escaping what the LMS sent', async () => {
    const page = await roster('', '?sort=score&desc=1&lang=en');
    expect(page.statusCode).toBe(200);
    const names = [...page.body.matchAll(/data-testid="review-link">([^<]*)<\/a>/g)].map((m) => m[1]);
    expect(names[0]).toBe('Ada Lovelace'); // the graded one first, scores descending
    expect(names).toHaveLength(3);
    expect(page.body).toContain('=HYPERLINK(&quot;http://evil.test&quot;,&quot;x&quot;)');
    expect(page.body).toMatch(/<td data-column="score">6.5<\/td>/);
    const filtered = await roster('', '?filter=zo%C3%A9');
    expect(filtered.body).toMatch(/data-testid="roster-count">1 apprenant·es sur 3/);
  });

  it('gives the same rows as CSV (a header row, quoted, no formula) and as JSON', async () => {
    const csv = await roster('.csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'name,lmsId,email,gitlabUsername,forkPath,provisioning,provisioningError,workspace,score,maxScore,gradedAt,' +
        'lastPushAt,ahead,behind,templateState,conflicts,updateResult,deadline,submittedCommit,submittedAt,lateByMs,' +
        'lmsGrade,lmsGradeSentAt,lmsGradeAnswer',
    );
    expect(lines).toHaveLength(4);
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(csv.body).toContain('"Zoé, ""la"" Grande"');
    expect(lines.find((l) => l.startsWith('Ada Lovelace'))).toMatch(
      /,never launched,,none,6\.5,7,\d{4}-[^,]*,,,,unknown,/,
    );
    const json = JSON.parse((await roster('.json')).body) as {
      learners: Array<{ name: string; score?: number }>;
    };
    expect(json.learners.map((l) => l.name).sort()).toEqual(
      ['Ada Lovelace', '=HYPERLINK("http://evil.test","x")', 'Zoé, "la" Grande'].sort(),
    );
    expect(json.learners.find((l) => l.name === 'Ada Lovelace')?.score).toBe(6.5);
  });

  it('is refused to learners, to strangers and for unknown assignments, saying why', async () => {
    expect((await roster('', '', learner)).statusCode).toBe(403);
    expect((await roster('.csv', '', learner)).body).toContain('WEB_STAFF_ONLY');
    expect((await getWithSession(t, `/courses/${courseId}`, learner)).statusCode).toBe(403);
    expect(
      (await getWithSession(t, `/courses/${courseId}/assignments/ex1/roster`, undefined)).statusCode,
    ).toBe(401);
    const other = await getWithSession(t, `/courses/${courseId}/assignments/nope/roster`, teacher);
    expect(other.statusCode).toBe(404);
    expect(other.body).toContain('no assignment nope');
  });

  it('links each fork at the forge’s URL now, wherever it was when the fork was made', async () => {
    const ada = (
      await t.db
        .selectFrom('users')
        .select('id')
        .where('display_name', '=', 'Ada Lovelace')
        .executeTakeFirstOrThrow()
    ).id;
    const now = Date.now();
    await t.db
      .insertInto('provisionings')
      .values({
        id: 'p-ada',
        job_key: `fork:${ada}:${courseId}:ex1`,
        kind: 'fork',
        user_id: ada,
        spec: '{}',
        status: 'done',
        step: 'done',
        state: JSON.stringify({
          forgeUser: { id: 3, username: 'ada' },
          fork: {
            pathWithNamespace: 'labgate/rr101/ex1-ada',
            webUrl: 'http://127.0.0.1:40001/labgate/rr101/ex1-ada',
          },
        }),
        attempts: 1,
        next_run_at: now,
        lease_owner: null,
        lease_until: null,
        error_code: null,
        error_message: null,
        created_at: now,
        updated_at: now,
        finished_at: now,
      })
      .execute();
    const assignment = (await t.app.services.assignments.findAssignment(courseId, 'ex1'))!;
    const rows = await createRosterStore(t.db, 'http://127.0.0.1:40002/')(courseId, assignment);
    expect(rows.find((r) => r.userId === ada)).toMatchObject({
      gitlabUsername: 'ada',
      provisioning: 'done',
      forkUrl: 'http://127.0.0.1:40002/labgate/rr101/ex1-ada',
    });
  });
});
