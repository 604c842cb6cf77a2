import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterRow } from '../../src/courses/index.ts';
import { formsOf, unescapeHtml } from '../support/html-forms.ts';
import { startOutcomesReceiver, type OutcomesReceiver } from './lms-receivers.ts';
import { moodle, startPassbackRig, type PassbackRig } from './passback-rig.ts';

let rig: PassbackRig;
let lms: OutcomesReceiver;
let teacher = '';
let learnerSession = '';
let roster = '';
const ids: Record<string, string> = {};

beforeAll(async () => {
  rig = await startPassbackRig();
  lms = await startOutcomesReceiver(moodle);
  roster = `/courses/${encodeURIComponent(rig.course11.id)}/assignments/ex1/roster`;
  teacher = (await rig.launch11({ user_id: 'prof', roles: 'Instructor', lis_person_name_full: 'Prof T' }))
    .session!;
  const learners: Array<[string, string, Record<string, string>]> = [
    ['ana', 'Ana Lima', { lis_outcome_service_url: lms.url, lis_result_sourcedid: 'src-ana' }],
    ['bo', 'Bo Chen', { lis_outcome_service_url: `${lms.base}/refusing`, lis_result_sourcedid: 'src-bo' }],
    ['cy', 'Cy Roy', { lis_outcome_service_url: lms.url, lis_result_sourcedid: 'src-cy' }],
    ['dee', 'Dee Nolink', {}],
  ];
  for (const [id, name, extra] of learners) {
    const { session } = await rig.launch11({ user_id: id, lis_person_name_full: name, ...extra });
    if (id === 'ana') learnerSession = session!;
    ids[id] = await rig.userOf(id);
  }
  await rig.app.passback.queueGrades(rig.ex11.id, [
    { userId: ids.ana!, score: 9, maxScore: 10 },
    { userId: ids.bo!, score: 5, maxScore: 10 },
    { userId: ids.dee!, score: 2, maxScore: 10 },
  ]);
  await rig.app.passback.deliverDue();
}, 120_000);
afterAll(async () => {
  await rig?.close();
  await lms?.close();
});

const page = (url: string, session = teacher) =>
  rig.app.server.inject({ url, cookies: { labgate_session: session } });
const rows = async () => ((await page(`${roster}.json`)).json() as { learners: RosterRow[] }).learners;
const byLms = async (id: string) => (await rows()).find((r) => r.lmsId === id)!;

describe('the roster’s “Grade in LMS” column', () => {
  it('shows each learner’s grade in the LMS: sent with its time, failed with the LMS’s answer, pending, no link', async () => {
    const ana = await byLms('ana');
    expect(ana).toMatchObject({ lmsGrade: 'sent', lmsGradeAnswer: 'Score for src-ana is now 0.9' });
    expect(ana.lmsGradeSentAt).toBeGreaterThan(Date.now() - 60_000);
    expect(await byLms('bo')).toMatchObject({
      lmsGrade: 'failed',
      lmsGradeAnswer: 'the LMS refused the grade (failure): sourcedId not found: unknown user',
    });
    expect((await byLms('cy')).lmsGrade).toBe('none');
    expect((await byLms('dee')).lmsGrade).toBe('no-link');

    const html = (await page(`${roster}?lang=en`)).body;
    const cell = (who: string) => {
      const row = new RegExp(`<tr data-user="${ids[who]}">([\\s\\S]*?)</tr>`).exec(html)![1]!;
      return /<td data-column="lmsGrade" data-state="([^"]*)">([\s\S]*?)<\/td>/.exec(row)!;
    };
    expect(html).toContain('Grade in LMS');
    expect(cell('ana')[1]).toBe('sent');
    expect(cell('ana')[2]).toContain('Send again');
    expect(cell('bo')[2]).toContain('Send again');
    expect(cell('dee')[2]).toMatch(/no LMS link/);
    expect(cell('dee')[2]).not.toContain('Send again');
    expect(cell('cy')[2]).not.toContain('Send again');
    expect(unescapeHtml(html)).toContain('sourcedId not found: unknown user');
    const fr = (await page(`${roster}?lang=fr`)).body;
    expect(fr).toContain('Note dans le LMS');
    expect(fr).toContain('pas de lien LMS');
    expect(fr).toContain('Renvoyer');
    const csv = (await page(`${roster}.csv`)).body;
    expect(csv.split('\r\n')[0]).toMatch(/,lmsGrade,lmsGradeSentAt,lmsGradeAnswer$/);
    expect(csv).toMatch(/no LMS link/);
  });

  it('sends a grade again from its Send again button (staff, CSRF), then delivers it', async () => {
    const form = formsOf((await page(`${roster}?lang=en`)).body).find(
      (f) => f.action.includes('/grades/send-again') && f.fields.get('learner') === ids.ana,
    )!;
    const post = (session: string, fields: URLSearchParams) =>
      rig.app.server.inject({
        method: 'POST',
        url: form.action,
        cookies: { labgate_session: session },
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: fields.toString(),
      });
    const noToken = new URLSearchParams(form.fields);
    noToken.delete('_csrf');
    expect((await post(teacher, noToken)).statusCode).toBe(403);
    // The learner's own session and CSRF token: still refused, the page is for staff.
    const asLearner = new URLSearchParams(form.fields);
    const own = await rig.db
      .selectFrom('sessions')
      .select('csrf_token')
      .where('user_id', '=', ids.ana!)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    asLearner.set('_csrf', own.csrf_token);
    const refused = await post(learnerSession, asLearner);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toMatch(/for the teachers and teaching assistants/);
    expect((await byLms('ana')).lmsGrade).toBe('sent');

    const res = await post(teacher, form.fields);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/\/roster\?lang=en&done=send-again$/);
    expect((await page(res.headers.location as string)).body).toContain('on its way to the LMS again');
    expect((await byLms('ana')).lmsGrade).toBe('pending');
    const before = lms.received.length;
    await rig.app.passback.deliverDue();
    expect(lms.received.length).toBe(before + 1);
    expect((await byLms('ana')).lmsGrade).toBe('sent');
  });

  it('says so when there is nothing to send again', async () => {
    const form = formsOf((await page(`${roster}?lang=fr`)).body).find((f) =>
      f.action.includes('/grades/send-again'),
    )!;
    form.fields.set('learner', ids.cy!);
    const res = await rig.app.server.inject({
      method: 'POST',
      url: form.action,
      cookies: { labgate_session: teacher },
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: form.fields.toString(),
    });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('il n’y a rien à renvoyer');
  });
});
