import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGradeOutbox } from '../../src/courses/index.ts';
import { formsOf } from '../support/html-forms.ts';
import { eventually } from '../support/teaching-rig.ts';
import { feedbackIn, hiddenSecret, startGraderDesk, type GraderDesk } from './grader-desk-fixture.ts';

/** RFC 4180 as a spreadsheet reads it: quoted fields, "" for a quote, CRLF between records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted) {
      if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

const records = (csv: string) => {
  const [head, ...rows] = parseCsv(csv.replace(/^\uFEFF/, ''));
  return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]!])));
};

describe('the grades page and the grades exports', () => {
  let d: GraderDesk;
  let base = '';
  const get = (url: string, session = d.teacher) =>
    d.rig.app.server.inject({ url, cookies: { labgate_session: session } });
  async function submit(action: string) {
    const form = formsOf((await get(`${base}/grades?lang=en`)).body).find((f) => f.action.includes(action))!;
    return d.rig.app.server.inject({
      method: 'POST',
      url: form.action,
      cookies: { labgate_session: d.teacher },
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: form.fields.toString(),
    });
  }
  const statuses = async () =>
    (await d.rig.db.selectFrom('feedback_deliveries').select('status').execute()).map((r) => r.status);

  beforeAll(async () => {
    d = await startGraderDesk();
    base = `/courses/${encodeURIComponent(d.rig.course.id)}/assignments/ex1`;
  }, 180_000);
  afterAll(async () => {
    await d?.rig.close();
  });

  it('is for the course’s staff only, and its forms need the session’s token', async () => {
    const learner = d.sessions['lms-ana']!;
    expect((await get(`${base}/grades`, learner)).statusCode).toBe(403);
    expect((await get(`${base}/grades.csv`, learner)).statusCode).toBe(403);
    expect(
      (await get(`/courses/${encodeURIComponent(d.rig.course.id)}/grades.csv`, learner)).statusCode,
    ).toBe(403);
    const forged = await d.rig.app.server.inject({
      method: 'POST',
      url: `${base}/grades/release`,
      cookies: { labgate_session: d.teacher },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(forged.statusCode).toBe(403);
    const missing = await get(
      `/courses/${encodeURIComponent(d.rig.course.id)}/assignments/nope/grades?lang=fr`,
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('n’a pas d’exercice nope');
    expect(
      (await d.rig.app.services.assignments.findAssignment(d.rig.course.id, 'ex1'))!.feedbackReleasedAt,
    ).toBe(undefined);
  });

  it('releases from the page: FEEDBACK.md lands in every graded fork, then withdraws', async () => {
    const page = await get(`${base}/grades?lang=en`);
    expect(page.body).toContain('data-released="no"');
    expect(page.body).toContain('each graded learner gets a FEEDBACK.md committed to their fork');
    const released = await submit('/grades/release?');
    expect(released.statusCode).toBe(303);
    await eventually('every FEEDBACK.md committed', async () =>
      (await statuses()).every((s) => s === 'done') && (await statuses()).length === 3 ? true : undefined,
    );
    const after = await get(released.headers.location as string);
    expect(after.body).toContain('Feedback released: FEEDBACK.md is on its way to 3 forks');
    expect(after.body).toContain('data-released="yes"');
    expect(after.body).toContain('FEEDBACK.md committed for 3 of 3 graded learners');
    expect(after.body).toMatch(/FEEDBACK\.md 3\/3[\s\S]*finished/);
    expect(after.body).toContain('FEEDBACK.md files already committed stay in their forks');
    const md = await feedbackIn(d, d.ana.id);
    expect(md).toContain('**Total : 4 / 5**'); // the course's sessions are in French
    expect(md).not.toContain(hiddenSecret);

    const withdrawn = await submit('/grades/withdraw?');
    expect(withdrawn.statusCode).toBe(303);
    const now = await get(withdrawn.headers.location as string);
    expect(now.body).toContain('data-released="no"');
    expect(now.body).toContain('FEEDBACK.md files already committed stay in their forks.');
    expect(await feedbackIn(d, d.ana.id)).toContain('**Total : 4 / 5**');
  });

  it('sends the grades to the LMS from the page (learners without an LMS link are not queued)', async () => {
    const sent = await submit('/grades/send?');
    expect(sent.statusCode).toBe(303);
    expect((await get(sent.headers.location as string)).body).toContain('0 grades queued for the LMS.');
  });

  it('exports an assignment’s grades as CSV: values right, cells formula-safe, UTF-8 with a BOM', async () => {
    await createGradeOutbox(d.rig.db).queue({
      assignmentId: d.rig.assignment.id,
      userId: d.ana.userId,
      score: 4,
      maxScore: 5,
    });
    const res = await get(`${base}/grades.csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="grades-RR101-ex1.csv"');
    expect(
      res.body.startsWith('\uFEFFlearner,lms_id,gitlab_username,assignment,auto_score,final_minus_auto,'),
    ).toBe(true);
    const rows = records(res.body);
    const ana = rows.find((r) => r.lms_id === 'lms-ana')!;
    expect(ana).toMatchObject({
      learner: 'Ana Lima',
      assignment: 'ex1',
      auto_score: '2',
      final_minus_auto: '2',
      final_score: '4',
      max_score: '5',
      graded_by_hand: 'yes',
      late: '',
      passback_status: 'pending',
      feedback_released: 'no',
      feedback_md_status: 'done',
    });
    expect(ana.gitlab_username).not.toBe('');
    expect(ana.feedback_md_commit).toMatch(/^[0-9a-f]{40}$/);
    expect(rows.find((r) => r.lms_id === 'lms-bob')).toMatchObject({
      final_score: '3',
      final_minus_auto: '0',
      late: '2 h',
    });
    const eve = rows.find((r) => r.lms_id === 'lms-eve')!;
    expect(eve.learner).toBe(`'=HYPERLINK("http://evil.test","x")`);
    expect(eve).toMatchObject({ auto_score: '0', final_score: '0', passback_status: '' });
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(rows).toHaveLength(3);
  });

  it('exports every assignment of the course, ungraded learners listed with empty scores', async () => {
    await d.rig.app.services.assignments.addAssignment({
      courseId: d.rig.course.id,
      slug: 'ex2',
      title: 'Exercice 2',
      template: 'teachers/ex1',
    });
    const res = await get(`/courses/${encodeURIComponent(d.rig.course.id)}/grades.csv`);
    expect(res.headers['content-disposition']).toBe('attachment; filename="grades-RR101.csv"');
    const rows = records(res.body);
    expect(rows.map((r) => r.assignment)).toEqual(['ex1', 'ex1', 'ex1', 'ex2', 'ex2', 'ex2']);
    expect(
      rows.filter((r) => r.assignment === 'ex2').every((r) => r.final_score === '' && r.auto_score === ''),
    ).toBe(true);
  });

  describe('labgate grades export', () => {
    const bin = path.resolve(import.meta.dirname, '../../bin/labgate.js');
    async function labgate(args: string[]) {
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
          env: { ...process.env, DATABASE_URL: d.rig.dbUrl, LOG_LEVEL: 'silent' },
        });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    }

    it('exits 2 on an unknown course or assignment, saying which', async () => {
      const course = await labgate(['grades', 'export', '--course', 'no-such-course']);
      expect(course.code).toBe(2);
      expect(course.stderr).toContain('there is no course no-such-course');
      const assignment = await labgate([
        'grades',
        'export',
        '--course',
        d.rig.course.id,
        '--assignment',
        'nope',
      ]);
      expect(assignment.code).toBe(2);
      expect(assignment.stderr).toContain(`course ${d.rig.course.id} has no assignment nope`);
      expect(assignment.stdout).toBe('');
    });

    it('writes the course’s grades to a file, and one assignment’s to standard output', async () => {
      const out = path.join(mkdtempSync(path.join(tmpdir(), 'grades-')), 'grades.csv');
      const r = await labgate(['grades', 'export', '--course', d.rig.course.id, '--out', out]);
      expect(r.code).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(text.startsWith('\uFEFFlearner,')).toBe(true);
      expect(records(text)).toHaveLength(6);
      const one = await labgate(['grades', 'export', '--course', d.rig.course.id, '--assignment', 'ex1']);
      expect(one.code).toBe(0);
      expect(one.stdout.startsWith('learner,')).toBe(true);
      expect(records(one.stdout).find((x) => x.lms_id === 'lms-ana')).toMatchObject({ final_score: '4' });
    });
  });
});
