import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../src/db/index.ts';
import {
  connectEngine,
  createWorkspaceStorage,
  createWorkspaceStore,
  workspaceFolder,
} from '../src/workspaces/index.ts';
import { podmanSocket } from './support/containers.ts';
import { rootToken, startTestGitlab, type TestGitlab } from './support/gitlab-lite.ts';
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
let root: string;
let env: Record<string, string>;
const people = {} as Record<'camille' | 'dominique' | 'prof', { userId: string; state?: ProvisionedState }>;

const camille = {
  user_id: 'camille-lms',
  lis_person_name_full: 'Camille Durand',
  lis_person_contact_email_primary: 'camille@example.org',
  custom_assignment: 'ex1',
  lis_outcome_service_url: 'https://lms.test/outcomes',
  lis_result_sourcedid: 'sourcedid-camille-lms',
};
const dominique = {
  user_id: 'dominique-lms',
  lis_person_name_full: 'Dominique Martin',
  lis_person_contact_email_primary: 'dominique@example.org',
  custom_assignment: 'ex1',
};

beforeAll(async () => {
  t = await startTestGitlab();
  const template = await makeTemplate(t);
  database = await openTestDatabase();
  root = mkdtempSync(path.join(tmpdir(), 'labgate-erasure-ws-'));
  env = {
    ...cliEnv(database, t),
    WORKSPACE_IMAGE: inject('notebookImage'),
    DOCKER_SOCKET: podmanSocket,
    WORKSPACES_ROOT: root,
  };
  app = await startPrivacyApp(database, { FORGE_URL: t.lite.url, FORGE_TOKEN: rootToken });
  const course = await app.app.services.courses.ensureCourse({
    lms: 'lti11:test-lms',
    contextId: 'course-v1:Inria+RR101+2026',
    title: 'Recherche reproductible',
    label: 'RR101',
  });
  await app.app.services.assignments.addAssignment({
    courseId: course.id,
    slug: 'ex1',
    title: 'Exercice 1',
    template,
  });
  people.camille = await launchAndProvision(app, camille);
  people.dominique = await launchAndProvision(app, dominique);
  people.prof = await launchAndProvision(app, {
    user_id: 'prof-lms',
    roles: 'Instructor',
    lis_person_name_full: 'Prof Martin',
  });
  people.camille.state = await forkState(app.db, people.camille.userId);
  people.dominique.state = await forkState(app.db, people.dominique.userId);
  await seedGradingAndMore(app.db, course.id, people.camille.state, people.prof.userId);
  // Camille's workspace folder, made as a launch makes it (handed to the learner's uid by a one-shot container).
  await createWorkspaceStorage(connectEngine(podmanSocket), {
    kind: 'folder',
    root,
    diskBytes: 2 ** 26,
    uid: 1000,
  }).ensure(people.camille.userId, 'ex1', inject('notebookImage'));
  await createWorkspaceStore(app.db).ensure({
    id: workspaceFolder(people.camille.userId, 'ex1'),
    userId: people.camille.userId,
    courseId: course.id,
    assignment: 'ex1',
    provisioningId: await forkJobId(app.db, people.camille.userId),
  });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

const forkJobId = async (db: Db, userId: string) =>
  (
    await db
      .selectFrom('provisionings')
      .select('id')
      .where('user_id', '=', userId)
      .where('kind', '=', 'fork')
      .executeTakeFirstOrThrow()
  ).id;

/** What the grader's desk, the deadline keeper, pushes and GitLab sign-ins leave about a learner. */
async function seedGradingAndMore(db: Db, courseId: string, state: ProvisionedState, profId: string) {
  const { id: assignmentId } = await db
    .selectFrom('assignments')
    .select('id')
    .where('course_id', '=', courseId)
    .executeTakeFirstOrThrow();
  const userId = people.camille.userId;
  const forkId = state.fork!.id;
  const t0 = Date.now();
  const common = { assignment_id: assignmentId, user_id: userId };
  await db
    .insertInto('submissions')
    .values({
      ...common,
      fork_id: forkId,
      deadline: t0,
      commit_sha: 'a'.repeat(40),
      pushed_at: t0,
      tag: 'submitted/x',
      locked_at: null,
      recorded_at: t0,
      late_sha: null,
      late_pushed_at: null,
    })
    .execute();
  await db
    .insertInto('fork_states')
    .values({
      ...common,
      fork_id: forkId,
      fork_sha: null,
      template_sha: null,
      ahead: 1,
      behind: 0,
      conflicts: null,
      checked_at: t0,
      update_status: null,
      update_message: null,
      updated_at: t0,
      merged_sha: null,
    })
    .execute();
  await db
    .insertInto('assignment_extensions')
    .values({ ...common, deadline: t0, created_at: t0 })
    .execute();
  await db
    .insertInto('grading_jobs')
    .values({
      id: 'gj-camille',
      job_key: `${assignmentId}:${userId}:a:b`,
      run_id: 'run-1',
      ...common,
      fork_id: forkId,
      submission_commit: 'a',
      grading_commit: 'b',
      status: 'done',
      attempts: 1,
      lease_owner: null,
      lease_until: null,
      score: 3,
      max_score: 4,
      result: '{}',
      error: null,
      created_at: t0,
      updated_at: t0,
      finished_at: t0,
    })
    .execute();
  await db
    .insertInto('grading_results')
    .values({
      job_id: 'gj-camille',
      question_id: 'q1',
      file: 'ex.ipynb',
      score: 3,
      max_score: 4,
      status: 'passed',
      checks: '[]',
    })
    .execute();
  await db
    .insertInto('grade_outbox')
    .values({
      ...common,
      score: 3,
      max_score: 4,
      comment: 'Bravo Camille Durand',
      status: 'sent',
      attempts: 1,
      next_attempt_at: t0,
      lease_owner: null,
      lease_until: null,
      answer: 'success',
      scored_at: t0,
      sent_at: t0,
      created_at: t0,
      updated_at: t0,
    })
    .execute();
  await db
    .insertInto('review_scores')
    .values({
      ...common,
      question_id: 'q1',
      score: 3,
      rubric: '[]',
      comment: 'ok',
      version: 1,
      graded_by: profId,
      graded_at: t0,
    })
    .execute();
  await db
    .insertInto('review_comments')
    .values({
      id: 'rc-camille',
      ...common,
      file: '',
      cell: '',
      line: null,
      body: 'Bien vu, Camille',
      version: 1,
      author_id: profId,
      created_at: t0,
      updated_at: t0,
      deleted_at: null,
    })
    .execute();
  await db
    .insertInto('review_comments')
    .values({
      id: 'rc-dominique',
      ...common,
      user_id: people.dominique.userId,
      file: '',
      cell: '',
      line: null,
      body: 'À revoir',
      version: 1,
      author_id: profId,
      created_at: t0,
      updated_at: t0,
      deleted_at: null,
    })
    .execute();
  await db
    .insertInto('feedback_deliveries')
    .values({ ...common, status: 'done', attempts: 1, commit_sha: 'c', error: null, updated_at: t0 })
    .execute();
  await db
    .insertInto('forge_pushes')
    .values({
      event_key: 'push-camille',
      project_id: forkId,
      ref: 'main',
      before_sha: null,
      after_sha: 'a',
      pushed_at: t0,
      author: state.forgeUser.username,
      received_at: t0,
    })
    .execute();
  const grant = {
    model: 'Grant',
    id: 'grant-camille',
    payload: JSON.stringify({ accountId: userId, clientId: 'gitlab' }),
    grant_id: null,
    uid: null,
    user_code: null,
    expires_at: t0 + 3_600_000,
    consumed_at: null,
  };
  await db.insertInto('oidc_records').values(grant).execute();
  await db
    .insertInto('oidc_records')
    .values({
      ...grant,
      model: 'AccessToken',
      id: 'at-camille',
      payload: JSON.stringify({ grantId: 'grant-camille' }),
      grant_id: 'grant-camille',
    })
    .execute();
  await db
    .insertInto('oidc_records')
    .values({
      ...grant,
      id: 'grant-dominique',
      payload: JSON.stringify({ accountId: people.dominique.userId }),
    })
    .execute();
  const session = await db
    .selectFrom('sessions')
    .select('id_hash')
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('workspace_passes')
    .values({
      id: 'pass-camille',
      session_hash: session.id_hash,
      workspace_id: 'w',
      state_hash: 's',
      code_hash: null,
      code_expires_at: null,
      cookie_hash: null,
      created_at: t0,
    })
    .execute();
}

const camilleNeedles = () => [
  people.camille.userId,
  'camille-lms',
  'Camille Durand',
  'camille@example.org',
  people.camille.state!.forgeUser.username,
  workspaceFolder(people.camille.userId, 'ex1'),
];
const dominiqueNeedles = () => [
  people.dominique.userId,
  'dominique-lms',
  'Dominique Martin',
  'dominique@example.org',
];
const folder = () => path.join(root, workspaceFolder(people.camille.userId, 'ex1'));

describe('labgate users list, show and export', () => {
  it('lists a course’s people, shows what labgate holds on one and exports it with secrets withheld', async () => {
    const listed = await labgateCli(['users', 'list', '--json'], env);
    const all = JSON.parse(listed.stdout) as Array<{ id: string; name: string; courses: unknown[] }>;
    expect(all.map((p) => p.name).sort()).toEqual(['Camille Durand', 'Dominique Martin', 'Prof Martin']);
    const courseId = (all[0]!.courses[0] as { courseId: string }).courseId;
    const learners = JSON.parse(
      (await labgateCli(['users', 'list', '--course', courseId, '--role', 'learner', '--json'], env)).stdout,
    ) as unknown[];
    expect(learners).toHaveLength(2);

    const shown = await labgateCli(['users', 'show', 'camille-lms'], env);
    expect(shown.code).toBe(0);
    const view = JSON.parse(shown.stdout) as {
      records: Record<string, number>;
      gitlab: { account: { username: string }; forks: Array<{ path: string }> };
    };
    expect(view.records).toMatchObject({
      users: 1,
      user_identities: 1,
      provisionings: 1,
      grade_outbox: 1,
      grading_results: 1,
      oidc_records: 2,
    });
    expect(view.gitlab.account.username).toBe(people.camille.state!.forgeUser.username);
    expect(view.gitlab.forks[0]!.path).toBe(people.camille.state!.fork!.pathWithNamespace);

    const out = path.join(root, 'camille.json');
    expect((await labgateCli(['users', 'export', people.camille.userId, '--out', out], env)).code).toBe(0);
    const exported = readFileSync(out, 'utf8');
    expect(exported).toContain('camille@example.org');
    expect(exported).toContain('Bien vu, Camille');
    const jupyterToken = (await app.db.selectFrom('workspaces').select('token').executeTakeFirstOrThrow())
      .token;
    expect(exported).not.toContain(jupyterToken);
    expect(exported).not.toContain('at-camille');
    rmSync(out);
  });

  it('says who an unknown id is not, with exit code 2', async () => {
    const r = await labgateCli(['users', 'show', 'nobody-lms'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nobody has the labgate id or LMS user id "nobody-lms"');
  });
});

describe('labgate users erase', () => {
  it('lists what would go in a dry run and changes nothing; without --yes and a terminal it does nothing', async () => {
    const before = await tracesOf(app.db, camilleNeedles());
    expect(Object.keys(before).length).toBeGreaterThan(15);
    const dry = await labgateCli(['users', 'erase', 'camille-lms', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`fork on the forge: ${people.camille.state!.fork!.pathWithNamespace}`);
    expect(dry.stdout).toContain(`GitLab account: ${people.camille.state!.forgeUser.username}`);
    expect(dry.stdout).toContain(folder());
    expect(dry.stdout).toContain('Grades already sent to the LMS stay in the LMS');
    expect(dry.stdout).toContain('dry run: nothing was changed');
    const unconfirmed = await labgateCli(['users', 'erase', 'camille-lms'], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('add --yes');
    expect(await tracesOf(app.db, camilleNeedles())).toEqual(before);
    expect(await forgeHas(t, `/users/${people.camille.state!.forgeUser.id}`)).toBe(true);
    expect(await forgeHas(t, `/projects/${people.camille.state!.fork!.id}`)).toBe(true);
    expect(existsSync(folder())).toBe(true);
  });

  it('leaves nothing of the person in any table, on the forge or on disk, and touches no one else', async () => {
    const dominiqueBefore = await tracesOf(app.db, dominiqueNeedles());
    const erased = await labgateCli(['users', 'erase', 'camille-lms', '--yes'], env);
    expect(erased.stderr).toBe('');
    expect(erased.code).toBe(0);
    expect(erased.stdout).toContain(`erased ${people.camille.userId}`);

    expect(await tracesOf(app.db, camilleNeedles())).toEqual({});
    expect(await forgeHas(t, `/users/${people.camille.state!.forgeUser.id}`)).toBe(false);
    expect(await forgeHas(t, `/projects/${people.camille.state!.fork!.id}`)).toBe(false);
    expect(await t.api.Users.all({ externUid: people.camille.userId, provider: 'openid_connect' })).toEqual(
      [],
    );
    expect(existsSync(folder())).toBe(false);
    const oidc = await app.db.selectFrom('oidc_records').select('id').execute();
    expect(oidc).toEqual([{ id: 'grant-dominique' }]); // her grant's token went with it
    // The grader's comment on another learner stays.
    expect(await app.db.selectFrom('review_comments').select('id').execute()).toEqual([
      { id: 'rc-dominique' },
    ]);

    expect(await tracesOf(app.db, dominiqueNeedles())).toEqual(dominiqueBefore);
    expect(await forgeHas(t, `/users/${people.dominique.state!.forgeUser.id}`)).toBe(true);
    expect(await forgeHas(t, `/projects/${people.dominique.state!.fork!.id}`)).toBe(true);
    const again = await labgateCli(['users', 'erase', 'camille-lms', '--yes'], env);
    expect(again.code).toBe(2);
  });

  it('erases a grader too: what they wrote about learners stays, without their id', async () => {
    const prof = people.prof.userId;
    expect((await labgateCli(['users', 'erase', 'prof-lms', '--yes'], env)).code).toBe(0);
    expect(await tracesOf(app.db, [prof, 'prof-lms', 'Prof Martin'])).toEqual({});
    expect(await app.db.selectFrom('review_comments').select(['id', 'author_id', 'body']).execute()).toEqual([
      { id: 'rc-dominique', author_id: 'erased', body: 'À revoir' },
    ]);
  });

  it('lets the same person come back as someone new', async () => {
    const back = await launchAndProvision(app, camille);
    expect(back.userId).not.toBe(people.camille.userId);
    const state = await forkState(app.db, back.userId);
    expect(state.fork!.id).not.toBe(people.camille.state!.fork!.id);
  });
});
