import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/index.ts';
import { rootToken, type TestGitlab } from './gitlab-lite.ts';
import {
  formEncode,
  learnerParams,
  postLaunch,
  signedLaunch,
  testBaseUrl,
  type TestApp,
} from './test-app.ts';
import type { TestDatabase } from './test-database.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/labgate.js');

/** `labgate …` as an operator runs it, on the test's database and forge; never a terminal (as in CI). */
export async function labgateCli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export const cliEnv = (database: { url: string }, t: TestGitlab) => ({
  DATABASE_URL: database.url,
  FORGE_URL: t.lite.url,
  FORGE_TOKEN: rootToken,
});

export const rigLms = { key: 'test-lms', secret: 'privacy-rig-secret-0123456789abcdef' };

/**
 * A real labgate on `database` (which the caller closes) with the forge in `env`, no background rounds
 * (nothing changes rows between a test's two looks); a second app on the same database keeps its LMS.
 */
export async function startPrivacyApp(
  database: TestDatabase,
  env: Record<string, string>,
  o: { firstOnDatabase?: boolean } = {},
): Promise<TestApp> {
  const config = loadConfig('demo', {
    PUBLIC_BASE_URL: testBaseUrl,
    SIMULATOR: 'off',
    LOG_LEVEL: 'silent',
    EMBEDDED_FORGE: 'off',
    ...env,
  });
  const app = await buildApp(config, { db: database.db, upkeep: false });
  if (o.firstOnDatabase !== false) await app.services.consumers.addConsumer({ name: 'Test LMS', ...rigLms });
  return { app, config, db: database.db, consumer: rigLms, close: () => app.close() };
}

/** A teacher's template with a commit, `teachers/<name>`, for assignments to fork. */
export async function makeTemplate(t: TestGitlab, name = 'ex1') {
  const group =
    (await t.api.Groups.show('teachers').catch(() => undefined)) ??
    (await t.api.Groups.create('Teachers', 'teachers'));
  await t.api.Projects.create({ name, namespaceId: group.id as number, initializeWithReadme: true });
  return `teachers/${name}`;
}

export interface Launched {
  userId: string;
  jobId: string | undefined;
}

/** A signed LTI 1.1 launch; waits for the person's provisioning job (fork or staff access) to finish. */
export async function launchAndProvision(app: TestApp, over: Record<string, string>): Promise<Launched> {
  const res = await postLaunch(app, formEncode(signedLaunch(app, { params: learnerParams(over) })));
  expect(res.statusCode).toBe(303);
  const { user_id: userId } = await app.db
    .selectFrom('user_identities')
    .select('user_id')
    .where('subject', '=', over.user_id!)
    .executeTakeFirstOrThrow();
  const jobs = await app.db.selectFrom('provisionings').select('id').where('user_id', '=', userId).execute();
  for (const { id } of jobs) await jobDone(app.db, id);
  return { userId, jobId: jobs.at(-1)?.id };
}

export async function jobDone(db: Db, id: string) {
  for (let i = 0; i < 600; i++) {
    const job = await db
      .selectFrom('provisionings')
      .select(['status', 'state', 'error_message'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (job.status === 'done') return JSON.parse(job.state) as ProvisionedState;
    if (job.status === 'failed') throw new Error(`provisioning failed: ${job.error_message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('provisioning did not finish');
}

export interface ProvisionedState {
  forgeUser: { id: number; username: string };
  fork?: { id: number; pathWithNamespace: string; webUrl: string };
}

/** The finished state of a person's fork job for `slug` (course-wide, the newest). */
export async function forkState(db: Db, userId: string, slug = 'ex1'): Promise<ProvisionedState> {
  const jobs = await db
    .selectFrom('provisionings')
    .select(['id', 'job_key'])
    .where('user_id', '=', userId)
    .execute();
  const job = jobs.filter((j) => j.job_key.endsWith(`:${slug}`)).at(-1);
  if (!job) throw new Error(`no fork job for ${userId} ${slug}`);
  return jobDone(db, job.id);
}

/** Whether the forge still has something, asked through its API as an administrator. */
export async function forgeHas(t: TestGitlab, what: `/users/${number}` | `/projects/${number}`) {
  const res = await fetch(`${t.lite.url}/api/v4${what}`, { headers: { 'private-token': rootToken } });
  await res.arrayBuffer();
  return res.status === 200;
}
