import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createSubmissionStore } from '../../src/courses/index.ts';
import { cloneUrl, rootToken, runGit, startTestGitlab } from './gitlab-lite.ts';
import {
  formEncode,
  learnerParams,
  postLaunch,
  sessionCookieOf,
  signedLaunch,
  testBaseUrl,
  type TestApp,
} from './test-app.ts';
import { openTestDatabase } from './test-database.ts';

export const deadline = Date.parse('2026-11-30T18:00:00Z');

/** A file as the learner commits it: text, or a symlink to `target`. */
type Content = string | { symlink: string };

/**
 * A course whose assignment ex1 (deadline passed) has four learners with forks in a real gitlab-lite:
 * ada submitted a notebook, bob only pushed after the deadline, cyd never pushed, eve submitted
 * symlinks and names with control characters. Their submissions are written as the deadline keeper
 * would. Also ex2 (no deadline) and ex3 (deadline to come), with nothing recorded.
 */
export async function startCollectRig() {
  const gitlab = await startTestGitlab();
  const teachers = await gitlab.api.Groups.create('Teachers', 'teachers');
  await gitlab.api.Projects.create({
    name: 'ex1',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  const database = await openTestDatabase();
  const env = { FORGE_URL: gitlab.lite.url, FORGE_TOKEN: rootToken };
  const config = loadConfig('demo', {
    PUBLIC_BASE_URL: testBaseUrl,
    SIMULATOR: 'on',
    LOG_LEVEL: 'silent',
    EMBEDDED_FORGE: 'off',
    ...env,
  });
  // The submissions are written below as the deadline keeper would: its own rounds stay off.
  const app = await buildApp(config, { db: database.db, upkeep: false });
  const consumer = await app.services.consumers.addConsumer({ name: 'LMS', key: 'test-lms' });
  const t: TestApp = {
    app,
    config,
    db: database.db,
    consumer,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
  const course = await app.services.courses.ensureCourse({
    lms: 'lti11:test-lms',
    contextId: 'course-v1:Inria+RR101+2026',
    title: 'Recherche reproductible',
    label: 'RR101',
  });
  const { assignments } = app.services;
  const ex1 = await assignments.addAssignment({
    courseId: course.id,
    slug: 'ex1',
    title: 'Exercice 1',
    template: 'teachers/ex1',
    deadline,
  });
  for (const [slug, due] of [
    ['ex2', undefined],
    ['ex3', Date.now() + 86_400_000],
  ] as const)
    await assignments.addAssignment({
      courseId: course.id,
      slug,
      title: slug,
      template: 'teachers/ex1',
      ...(due ? { deadline: due } : {}),
    });

  const launch = async (over: Record<string, string>) =>
    sessionCookieOf(await postLaunch(t, formEncode(signedLaunch(t, { params: learnerParams(over) }))))!;
  const teacher = await launch({
    user_id: 't-1',
    roles: 'Instructor',
    lis_person_name_full: 'Prof Tournesol',
  });
  const names = { ada: 'Ada Lovelace', bob: 'Bob Marley', cyd: 'Cyd Charisse', eve: '=cmd|evil' };
  const sessions: Record<string, string> = {};
  for (const [who, name] of Object.entries(names))
    sessions[who] = await launch({
      user_id: `lms-${who}`,
      lis_person_name_full: name,
      custom_assignment: 'ex1',
    });
  const learners = await forksOf(t, Object.keys(names));

  /** Commits `files` (and removes nothing) on the learner's fork; the new commit's sha. */
  async function push(who: string, files: Record<string, Content>) {
    const dir = mkdtempSync(path.join(gitlab.work, `${who}-`));
    const fork = learners[who]!.forkPath;
    expectOk(await runGit(['clone', '-q', cloneUrl(gitlab.lite.url, fork, rootToken), dir], gitlab.work));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      if (typeof content === 'string') writeFileSync(path.join(dir, name), content);
      else symlinkSync(content.symlink, path.join(dir, name));
    }
    expectOk(await runGit(['add', '-A'], dir));
    expectOk(await runGit(['commit', '-q', '-m', 'work'], dir));
    expectOk(await runGit(['push', '-q', 'origin', 'HEAD'], dir));
    return (await runGit(['rev-parse', 'HEAD'], dir)).out.trim();
  }

  const notebook = JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 });
  const shas = {
    ada: await push('ada', { 'ex.ipynb': notebook, 'data/notes é.md': '# Notes\n' }),
    bob: await push('bob', { 'ex.ipynb': '{"late": true}' }),
    eve: await push('eve', {
      'ok.txt': 'fine\n',
      'sub/ok2.txt': 'also fine\n',
      link: { symlink: '/etc/passwd' },
      up: { symlink: '../../../..' },
      'evil\u001b[31m.txt': 'red\n',
      'new\nline.txt': 'x\n',
    }),
  };
  const submissions = createSubmissionStore(database.db);
  const base = { assignmentId: ex1.id, deadline, tag: undefined, lockedAt: deadline, recordedAt: deadline };
  const late = undefined;
  await submissions.saveSubmission({
    ...base,
    ...learners.ada!.ids,
    commit: { sha: shas.ada, pushedAt: deadline - 3_600_000 },
    tag: 'submitted/2026-12-01T18.00.00Z',
    late,
  });
  await submissions.saveSubmission({
    ...base,
    ...learners.bob!.ids,
    commit: undefined,
    late: { sha: shas.bob, pushedAt: deadline + 200 * 60_000 },
  });
  await submissions.saveSubmission({
    ...base,
    ...learners.eve!.ids,
    commit: { sha: shas.eve, pushedAt: deadline - 60_000 },
    late,
  });

  return {
    t,
    gitlab,
    courseId: course.id,
    dbUrl: database.url,
    env,
    teacher,
    sessions,
    learners,
    shas,
    notebook,
    close: async () => {
      await t.close();
      await gitlab.close();
    },
  };
}

export type CollectRig = Awaited<ReturnType<typeof startCollectRig>>;

function expectOk(r: { code: number; out: string }) {
  if (r.code !== 0) throw new Error(`git failed: ${r.out}`);
}

/** Waits for each learner's fork; their user id, fork and GitLab username. */
async function forksOf(t: TestApp, who: string[]) {
  const out: Record<string, { ids: { userId: string; forkId: number }; forkPath: string; username: string }> =
    {};
  const until = Date.now() + 60_000;
  for (const w of who) {
    const user = await t.db
      .selectFrom('user_identities')
      .select('user_id')
      .where('subject', '=', `lms-${w}`)
      .executeTakeFirstOrThrow();
    for (;;) {
      const job = await t.db
        .selectFrom('provisionings')
        .select(['status', 'state', 'error_message'])
        .where('user_id', '=', user.user_id)
        .where('kind', '=', 'fork')
        .executeTakeFirst();
      if (job?.status === 'failed') throw new Error(`fork of ${w} failed: ${job.error_message}`);
      if (job?.status === 'done') {
        const state = JSON.parse(job.state) as {
          forgeUser: { username: string };
          fork: { id: number; pathWithNamespace: string };
        };
        out[w] = {
          ids: { userId: user.user_id, forkId: state.fork.id },
          forkPath: state.fork.pathWithNamespace,
          username: state.forgeUser.username,
        };
        break;
      }
      if (Date.now() > until) throw new Error(`no fork for ${w} after 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return out;
}
