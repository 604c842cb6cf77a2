import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAssignmentStore, createCourseStore } from '../../src/courses/index.ts';
import type { Db } from '../../src/db/index.ts';
import { createConsumerStore } from '../../src/lti/index.ts';
import { signLti11Launch } from '../../src/simulator/index.ts';
import { freePort } from './labgate-process.ts';

const root = path.resolve(import.meta.dirname, '../..');
export const rigConsumer = { key: 'mooc-rig', secret: 'rig-secret-0123456789abcdef' };
export const rigContextId = 'course-v1:Inria+RR101+2026';

/** A consumer, a course and an assignment whose template is `template`, written straight to the database. */
export async function seedCourse(db: Db, template: string) {
  await createConsumerStore(db).addConsumer({ name: 'MOOC', ...rigConsumer });
  const course = await createCourseStore(db).ensureCourse({
    lms: `lti11:${rigConsumer.key}`,
    contextId: rigContextId,
    title: 'Recherche reproductible',
    label: 'RR101',
  });
  await createAssignmentStore(db).addAssignment({
    courseId: course.id,
    slug: 'ex1',
    title: 'Exercice 1',
    template,
  });
  return course;
}

/**
 * `labgate serve` as a real child process (node itself, not npm, so `kill -9` hits labgate), on a
 * free port, against the given database and GitLab.
 */
export async function startLabgateProcess(env: Record<string, string>) {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'labgate-serve-'));
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin/labgate.js'), 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      SIMULATOR: 'off',
      LOG_LEVEL: 'warn',
      // The test's own SQLite file sits in a folder of root's: labgate stays root to share it.
      ...(env.DATABASE_URL?.startsWith('sqlite:') ? { LABGATE_USER: 'root' } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`labgate did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /labgate is serving (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`labgate exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    output: () => output,
    /** As a crash would: no shutdown, no lease released. */
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A learner clicking the activity in the LMS: a signed LTI 1.1 launch naming the assignment. */
export async function launchLearner(baseUrl: string, n: number) {
  const launchUrl = `${baseUrl}/lti/launch`;
  const fields = signLti11Launch({
    launchUrl,
    consumerKey: rigConsumer.key,
    secret: rigConsumer.secret,
    nowSeconds: Math.floor(Date.now() / 1000),
    params: [
      ['lti_message_type', 'basic-lti-launch-request'],
      ['lti_version', 'LTI-1p0'],
      ['user_id', `learner-${n}`],
      ['lis_person_name_full', `Apprenant·e ${n} Élève`],
      ['roles', 'Learner'],
      ['context_id', rigContextId],
      ['context_title', 'Recherche reproductible'],
      ['context_label', 'RR101'],
      ['resource_link_id', 'ex1-link'],
      ['custom_assignment', 'ex1'],
    ],
  });
  const res = await fetch(launchUrl, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  await res.arrayBuffer();
  return res.status;
}

export async function provisioningCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('provisionings')
    .select(['status', db.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
