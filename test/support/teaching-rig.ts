import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { LatePolicy } from '../../src/courses/index.ts';
import { signLti11Launch } from '../../src/simulator/index.ts';
import { cloneUrl, rootToken, runGit, startTestGitlab } from './gitlab-lite.ts';
import { freePort } from './labgate-process.ts';
import { formEncode, learnerParams, sessionCookieOf } from './test-app.ts';
import { openTestDatabase } from './test-database.ts';

const ok = (r: { code: number; out: string }, what: string) => {
  if (r.code !== 0) throw new Error(`${what}: ${r.out}`);
  return r.out.trim();
};

/**
 * A labgate listening on 127.0.0.1 (so that gitlab-lite's push hooks reach it) with a real gitlab-lite,
 * a course, an assignment `ex1` on template `teachers/ex1`, and helpers to launch learners and push.
 */
export async function startTeachingRig(o: { latePolicy?: LatePolicy; upkeep?: false } = {}) {
  const gitlab = await startTestGitlab();
  const teachers = await gitlab.api.Groups.create('Teachers', 'teachers');
  await gitlab.api.Projects.create({
    name: 'ex1',
    namespaceId: teachers.id as number,
    initializeWithReadme: true,
  });
  const database = await openTestDatabase();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig('demo', {
    PUBLIC_BASE_URL: base,
    SIMULATOR: 'off',
    LOG_LEVEL: 'silent',
    EMBEDDED_FORGE: 'off',
    FORGE_URL: gitlab.lite.url,
    FORGE_TOKEN: rootToken,
  });
  const app = await buildApp(config, { db: database.db, ...(o.upkeep === false ? { upkeep: false } : {}) });
  await app.server.listen({ port, host: '127.0.0.1' });
  const consumer = await app.services.consumers.addConsumer({ name: 'LMS', key: 'test-lms' });
  const course = await app.services.courses.ensureCourse({
    lms: 'lti11:test-lms',
    contextId: 'course-v1:Inria+RR101+2026',
    title: 'Recherche reproductible',
    label: 'RR101',
  });
  const assignment = await app.services.assignments.addAssignment({
    courseId: course.id,
    slug: 'ex1',
    title: 'Exercice 1',
    template: 'teachers/ex1',
    ...(o.latePolicy ? { latePolicy: o.latePolicy } : {}),
  });

  async function launch(over: Record<string, string>) {
    const params = signLti11Launch({
      launchUrl: `${base}/lti/launch`,
      consumerKey: consumer.key,
      secret: consumer.secret,
      params: learnerParams(over),
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    const res = await app.server.inject({
      method: 'POST',
      url: '/lti/launch',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: formEncode(params),
    });
    return sessionCookieOf(res)!;
  }

  /** The learner's fork once provisioning made it. */
  async function forkOf(lmsId: string) {
    for (const until = Date.now() + 60_000; Date.now() < until;) {
      const row = await database.db
        .selectFrom('provisionings')
        .innerJoin('user_identities', 'user_identities.user_id', 'provisionings.user_id')
        .select([
          'provisionings.user_id',
          'provisionings.status',
          'provisionings.state',
          'provisionings.error_message',
        ])
        .where('user_identities.subject', '=', lmsId)
        .where('provisionings.kind', '=', 'fork')
        .executeTakeFirst();
      if (row?.status === 'failed') throw new Error(`fork of ${lmsId} failed: ${row.error_message}`);
      if (row?.status === 'done') {
        const fork = (JSON.parse(row.state) as { fork: { id: number; pathWithNamespace: string } }).fork;
        return { userId: row.user_id, id: fork.id, path: fork.pathWithNamespace };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no fork for ${lmsId}`);
  }

  /** Commits `files` to `project` from a clone on the test's side; `env` sets e.g. a lying commit date. */
  async function push(project: string, files: Record<string, string>, env: Record<string, string> = {}) {
    const dir = mkdtempSync(path.join(gitlab.work, 'push-'));
    ok(
      await runGit(['clone', '-q', cloneUrl(gitlab.lite.url, project, rootToken), dir], gitlab.work),
      'clone',
    );
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    ok(await runGit(['add', '-A'], dir), 'add');
    ok(await runGit(['commit', '-q', '-m', `change ${Object.keys(files).join(' ')}`], dir, env), 'commit');
    const pushed = await runGit(['push', '-q', 'origin', 'HEAD:main'], dir);
    return {
      code: pushed.code,
      out: pushed.out,
      sha: ok(await runGit(['rev-parse', 'HEAD'], dir), 'rev-parse'),
    };
  }

  return {
    app,
    gitlab,
    db: database.db,
    dbUrl: database.url,
    base,
    course,
    assignment,
    launch,
    forkOf,
    push,
    teaching: app.teaching!,
    close: async () => {
      await app.close();
      await database.close();
      await gitlab.close();
    },
  };
}

export type TeachingRig = Awaited<ReturnType<typeof startTeachingRig>>;

/** Polls `probe` until it gives a value (or fails after `ms`). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000) {
  for (const until = Date.now() + ms; Date.now() < until;) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
