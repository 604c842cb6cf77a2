import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterRow } from '../../src/courses/index.ts';
import { formsOf } from '../support/html-forms.ts';
import { eventually, startTeachingRig, type TeachingRig } from '../support/teaching-rig.ts';

describe('the roster’s deadline and extension forms', () => {
  let rig: TeachingRig;
  let teacher = '';
  let learner = '';
  let roster = '';

  const page = (session: string, url = `${roster}?lang=en`) =>
    rig.app.server.inject({ url, cookies: { labgate_session: session } });
  async function submit(path: string, fields: Record<string, string>, session = teacher, lang = 'en') {
    const form = formsOf((await page(session, `${roster}?lang=${lang}`)).body).find((f) =>
      f.action.includes(`/${path}?`),
    )!;
    for (const [k, v] of Object.entries(fields)) form.fields.set(k, v);
    return rig.app.server.inject({
      method: 'POST',
      url: form.action,
      cookies: { labgate_session: session },
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: form.fields.toString(),
    });
  }
  const rows = async () =>
    ((await page(teacher, `${roster}.json`)).json() as { learners: RosterRow[] }).learners;

  beforeAll(async () => {
    rig = await startTeachingRig();
    roster = `/courses/${encodeURIComponent(rig.course.id)}/assignments/ex1/roster`;
    teacher = await rig.launch({ user_id: 't-1', roles: 'Instructor', lis_person_name_full: 'Prof T' });
    learner = await rig.launch({
      user_id: 'lms-ana',
      lis_person_name_full: 'Ana Lima',
      lis_person_contact_email_primary: 'ana@example.org',
      custom_assignment: 'ex1',
    });
    await rig.forkOf('lms-ana');
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('refuses a deadline in the past, a date it cannot read and an unknown time zone, saying why', async () => {
    const past = await submit('deadline', { deadline: '2020-01-01T10:00', zone: 'Europe/Paris' });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('2020-01-01 09:00');
    expect(past.body).toMatch(/already past/);
    const garbled = await submit('deadline', { deadline: 'next friday', zone: 'UTC' });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.body).toContain('is not a date and time');
    const zone = await submit('deadline', { deadline: '2030-01-01T10:00', zone: 'Mars/Olympus' });
    expect(zone.statusCode).toBe(400);
    expect(zone.body).toContain('is not a time zone');
  });

  it('refuses +N days before there is a deadline, and someone not in the course', async () => {
    const early = await submit('extensions', { learner: 'ana@example.org', until: '+2 days' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toMatch(/no deadline yet/);
    const stranger = await submit('extensions', { learner: 'nobody@example.org', until: '2031-01-01T10:00' });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.body).toMatch(/No learner of this course is/);
    expect(stranger.body).toMatch(/never opened the course/);
  });

  it('sets the deadline in the teacher’s time zone and grants an extension in days', async () => {
    const set = await submit('deadline', { deadline: '2031-03-01T18:00', zone: 'Europe/Paris' });
    expect(set.statusCode).toBe(303);
    expect((await page(teacher, set.headers.location as string)).body).toContain('Deadline set.');
    const granted = await submit('extensions', { learner: 'ANA@example.org', until: '+3 days' });
    expect(granted.statusCode).toBe(303);
    const ana = (await rows()).find((r) => r.lmsId === 'lms-ana')!;
    expect(new Date(ana.deadline!).toISOString()).toBe('2031-03-04T17:00:00.000Z');
    expect(ana.extended).toBe(true);
  });

  it('shows the last push by the forge’s clock in the roster', async () => {
    const fork = await rig.forkOf('lms-ana');
    const before = Date.now();
    await rig.push(fork.path, { 'x.txt': 'work\n' }, { GIT_COMMITTER_DATE: '2001-01-01T00:00:00Z' });
    const ana = await eventually('the push in the roster', async () => {
      const row = (await rows()).find((r) => r.lmsId === 'lms-ana');
      return row?.lastPushAt ? row : undefined;
    });
    expect(ana.lastPushAt).toBeGreaterThanOrEqual(before - 1000);
  });

  it('changes the file learners land in, checked in the template, and clears it', async () => {
    expect((await page(teacher)).body).toContain('Learners land in the template’s first notebook.');
    const missing = await submit('open-file', { openFile: 'notebooks/ex1.ipynb' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('The template teachers/ex1 has no file notebooks/ex1.ipynb on main.');
    const outside = await submit('open-file', { openFile: '../ex2/README.md' });
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain('cannot be the file learners land in');
    const french = await submit('open-file', { openFile: 'absent.ipynb' }, teacher, 'fr');
    expect(french.body).toContain('Le modèle teachers/ex1 n’a pas de fichier absent.ipynb sur main.');
    expect(
      (await rig.app.services.assignments.findAssignment(rig.course.id, 'ex1'))?.openFile,
    ).toBeUndefined();

    const set = await submit('open-file', { openFile: './README.md' });
    expect(set.statusCode).toBe(303);
    const after = (await page(teacher, set.headers.location as string)).body;
    expect(after).toContain('The file learners land in is changed.');
    expect(after).toContain('Learners land in README.md.');
    expect((await rig.app.services.assignments.findAssignment(rig.course.id, 'ex1'))?.openFile).toBe(
      'README.md',
    );
    expect((await submit('open-file', { openFile: '' })).statusCode).toBe(303);
    expect(
      (await rig.app.services.assignments.findAssignment(rig.course.id, 'ex1'))?.openFile,
    ).toBeUndefined();
  });

  it('keeps learners and forged forms out', async () => {
    expect((await page(learner)).statusCode).toBe(403);
    const forged = await rig.app.server.inject({
      method: 'POST',
      url: `/courses/${encodeURIComponent(rig.course.id)}/assignments/ex1/deadline`,
      cookies: { labgate_session: teacher },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'deadline=2032-01-01T10:00&zone=UTC',
    });
    expect(forged.statusCode).toBe(403);
  });
});
