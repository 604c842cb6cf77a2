import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../src/courses/index.ts';
import { cloneUrl, rootToken, runGit, startTestGitlab, type TestGitlab } from './support/gitlab-lite.ts';
import { tracesOf } from './support/person-traces.ts';
import {
  cliEnv,
  forgeHas,
  forkState,
  labgateCli,
  launchAndProvision,
  makeTemplate,
  startPrivacyApp,
  type ProvisionedState,
} from './support/privacy-rig.ts';
import type { TestApp } from './support/test-app.ts';
import { openTestDatabase, type TestDatabase } from './support/test-database.ts';

let t: TestGitlab;
let database: TestDatabase;
let app: TestApp;
let env: Record<string, string>;
let retired: Course;
let other: Course;
type Who = 'olga' | 'oscar' | 'rita';
const people = {} as Record<Who, { userId: string; state: ProvisionedState }>;
const names: Record<Who, string> = { olga: 'Olga Ancienne', oscar: 'Oscar Deux', rita: 'Rita Récente' };
const day = 86_400_000;

const inCourse = (who: Who, course: 'retired' | 'other') => ({
  user_id: `${who}-lms`,
  lis_person_name_full: names[who],
  custom_assignment: 'ex1',
  ...(course === 'other'
    ? { context_id: 'course-v1:Inria+KK202+2026', context_title: 'Autre cours', context_label: 'KK202' }
    : {}),
});

/** A learner's activity in the retired course, moved `days` into the past (their last launch, session, fork). */
async function age(userId: string, days: number) {
  const then = Date.now() - days * day;
  const db = app.db;
  await db
    .updateTable('enrolments')
    .set({ updated_at: then })
    .where('user_id', '=', userId)
    .where('course_id', '=', retired.id)
    .execute();
  await db
    .updateTable('sessions')
    .set({ created_at: then })
    .where('user_id', '=', userId)
    .where('course_id', '=', retired.id)
    .execute();
  await db
    .updateTable('provisionings')
    .set({ updated_at: then })
    .where('job_key', 'like', `fork:${userId}:${retired.id}:%`)
    .execute();
}

beforeAll(async () => {
  t = await startTestGitlab();
  const template = await makeTemplate(t);
  database = await openTestDatabase();
  env = cliEnv(database, t);
  app = await startPrivacyApp(database, { FORGE_URL: t.lite.url, FORGE_TOKEN: rootToken });
  const courses = app.app.services.courses;
  retired = await courses.ensureCourse({
    lms: 'lti11:test-lms',
    contextId: 'course-v1:Inria+RR101+2026',
    title: 'Recherche reproductible',
    label: 'RR101',
  });
  other = await courses.ensureCourse({
    lms: 'lti11:test-lms',
    contextId: 'course-v1:Inria+KK202+2026',
    title: 'Autre cours',
    label: 'KK202',
  });
  for (const c of [retired, other])
    await app.app.services.assignments.addAssignment({
      courseId: c.id,
      slug: 'ex1',
      title: 'Exercice 1',
      template,
    });
  for (const who of ['olga', 'oscar', 'rita'] as const) {
    const { userId } = await launchAndProvision(app, inCourse(who, 'retired'));
    people[who] = { userId, state: await forkState(app.db, userId) };
  }
  await launchAndProvision(app, inCourse('oscar', 'other'));
  await age(people.olga.userId, 400);
  await age(people.oscar.userId, 400);
  await age(people.rita.userId, 20);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  await t?.close();
});

const archived = async (id: number) => (await t.api.Projects.show(id)).archived as boolean;
const otherFork = async () => {
  const jobs = await app.db
    .selectFrom('provisionings')
    .select(['job_key', 'state'])
    .where('user_id', '=', people.oscar.userId)
    .execute();
  const job = jobs.find((j) => j.job_key.includes(`:${other.id}:`))!;
  return (JSON.parse(job.state) as ProvisionedState).fork!.id;
};

describe('labgate courses retire', () => {
  it('lists in a dry run the forks to archive and the learners past retention, and changes nothing', async () => {
    const before = await tracesOf(
      app.db,
      Object.values(people).map((p) => p.userId),
    );
    const dry = await labgateCli(['courses', 'retire', retired.id, '--after', '365', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('3 forks to archive');
    expect(dry.stdout).toContain('2 learners inactive since before');
    expect(dry.stdout).toContain('(1 with no other course');
    expect(dry.stdout).toContain('1 learners active since');
    expect(dry.stdout).toContain(`would erase ${people.olga.userId} (person,`);
    expect(dry.stdout).toContain(`would erase ${people.oscar.userId} (course,`);
    const plan = JSON.parse(
      (await labgateCli(['courses', 'retire', retired.id, '--after', '365', '--dry-run', '--json'], env))
        .stdout,
    ) as { erase: Array<{ userId: string }> };
    expect(plan.erase.map((l) => l.userId).sort()).toEqual([people.olga.userId, people.oscar.userId].sort());
    expect(
      await tracesOf(
        app.db,
        Object.values(people).map((p) => p.userId),
      ),
    ).toEqual(before);
    for (const p of Object.values(people)) expect(await archived(p.state.fork!.id)).toBe(false);
    const bad = await labgateCli(['courses', 'retire', retired.id, '--after', 'soon'], env);
    expect(bad.code).toBe(2);
  });

  it('archives the forks read-only, then erases only what is past the retention period', async () => {
    const result = await labgateCli(['courses', 'retire', retired.id, '--after', '365', '--yes'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/archiving forks .* 3\/3/);
    expect(result.stderr).toMatch(/erasing learners .* 2\/2/);
    expect(result.stdout).toContain('3 forks archived (0 already gone), 2 learners erased');

    // Rita, active 20 days ago: her fork is archived and refuses pushes, her records stay.
    const rita = people.rita;
    expect(await archived(rita.state.fork!.id)).toBe(true);
    const ritaToken = (await t.api.UserImpersonationTokens.create(rita.state.forgeUser.id, 'git', ['api']))
      .token as string;
    const dir = path.join(t.work, 'rita');
    expect(
      (
        await runGit(
          ['clone', cloneUrl(t.lite.url, rita.state.fork!.pathWithNamespace, ritaToken), dir],
          t.work,
        )
      ).code,
    ).toBe(0);
    writeFileSync(path.join(dir, 'late.txt'), 'after the course\n');
    await runGit(['add', '.'], dir);
    await runGit(['commit', '-m', 'late'], dir);
    const push = await runGit(['push', 'origin', 'HEAD'], dir);
    expect(push.code).not.toBe(0);
    expect(push.out).toContain('403');
    expect(
      await app.db.selectFrom('enrolments').select('course_id').where('user_id', '=', rita.userId).execute(),
    ).toEqual([{ course_id: retired.id }]);

    // Olga had only this course: nothing of her anywhere.
    const olga = people.olga;
    expect(
      await tracesOf(app.db, [olga.userId, 'olga-lms', names.olga, olga.state.forgeUser.username]),
    ).toEqual({});
    expect(await forgeHas(t, `/users/${olga.state.forgeUser.id}`)).toBe(false);
    expect(await forgeHas(t, `/projects/${olga.state.fork!.id}`)).toBe(false);

    // Oscar is active in another course: he keeps his account and that course; this course's data goes.
    const oscar = people.oscar;
    expect(await forgeHas(t, `/users/${oscar.state.forgeUser.id}`)).toBe(true);
    expect(await forgeHas(t, `/projects/${oscar.state.fork!.id}`)).toBe(false);
    expect(await archived(await otherFork())).toBe(false);
    expect(
      await app.db.selectFrom('enrolments').select('course_id').where('user_id', '=', oscar.userId).execute(),
    ).toEqual([{ course_id: other.id }]);
    const jobs = await app.db
      .selectFrom('provisionings')
      .select('job_key')
      .where('user_id', '=', oscar.userId)
      .execute();
    expect(jobs.map((j) => j.job_key)).toEqual([`fork:${oscar.userId}:${other.id}:ex1`]);
    expect(
      await app.db.selectFrom('sessions').select('course_id').where('user_id', '=', oscar.userId).execute(),
    ).toEqual([{ course_id: other.id }]);
  });

  it('can be run again', async () => {
    const again = await labgateCli(['courses', 'retire', retired.id, '--after', '365', '--yes'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 forks archived (0 already gone), 0 learners erased');
  });
});
