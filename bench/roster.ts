/**
 * The roster of a 2,000-learner class: server time of the HTML page and of the CSV (through fastify's
 * inject, in process), against a trivial route in the same process. Generated rows on SQLite.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

const learners = Number(process.env.BENCH_LEARNERS ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const dir = mkdtempSync(path.join(tmpdir(), 'labgate-bench-roster-'));
const app = await buildApp(
  loadConfig('demo', {
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    EMBEDDED_FORGE: 'off',
    PUBLIC_BASE_URL: 'http://localhost:8080',
  }),
);
const { db } = app.services;
try {
  const course = await app.services.courses.ensureCourse({
    lms: 'lti11:bench',
    contextId: 'c',
    title: 'MOOC',
    label: 'M',
  });
  const a = await app.services.assignments.addAssignment({
    courseId: course.id,
    slug: 'ex1',
    title: 'Ex 1',
    template: 't/ex1',
  });
  const t = Date.now();
  const teacher = randomUUID();
  await db
    .insertInto('users')
    .values({
      id: teacher,
      display_name: 'Teacher',
      email: null,
      created_at: t,
      updated_at: t,
      disabled_at: null,
    })
    .execute();
  await app.services.courses.enrol(course.id, teacher, 'teacher');
  for (let from = 0; from < learners; from += 200) {
    const ids = Array.from({ length: Math.min(200, learners - from) }, () => randomUUID());
    await db
      .insertInto('users')
      .values(
        ids.map((id, i) => ({
          id,
          display_name: `Learner ${from + i}`,
          email: `l${from + i}@x.invalid`,
          created_at: t,
          updated_at: t,
          disabled_at: null,
        })),
      )
      .execute();
    await db
      .insertInto('enrolments')
      .values(ids.map((id) => ({ course_id: course.id, user_id: id, role: 'learner', updated_at: t })))
      .execute();
    await db
      .insertInto('user_identities')
      .values(
        ids.map((id, i) => ({
          kind: 'lti11',
          issuer: 'bench',
          client_id: 'bench',
          subject: `lms-${from + i}`,
          user_id: id,
          created_at: t,
        })),
      )
      .execute();
    await db
      .insertInto('provisionings')
      .values(
        ids.map((id, i) => ({
          id: randomUUID(),
          job_key: `fork:${id}:${course.id}:ex1`,
          kind: 'fork',
          user_id: id,
          spec: '{}',
          status: i % 50 ? 'done' : 'failed',
          step: 'done',
          state: JSON.stringify({
            forgeUser: { id: i, username: `learner${from + i}` },
            fork: {
              id: 10_000 + from + i,
              pathWithNamespace: `labgate/m/ex1-learner${from + i}`,
              webUrl: `http://forge/labgate/m/ex1-learner${from + i}`,
            },
          }),
          attempts: 1,
          next_run_at: t,
          lease_owner: null,
          lease_until: null,
          error_code: null,
          error_message: i % 50 ? null : 'GitLab answered 500',
          created_at: t,
          updated_at: t,
          finished_at: t,
        })),
      )
      .execute();
    // What the teacher's console adds per fork: its state against the template, three pushes in the
    // forge's ledger (hook and event sightings of the same push among them), and a submission.
    const sha = (n: number) => n.toString(16).padStart(40, '0');
    await db
      .insertInto('fork_states')
      .values(
        ids.map((id, i) => ({
          assignment_id: a.id,
          user_id: id,
          fork_id: 10_000 + from + i,
          fork_sha: sha(from + i),
          template_sha: sha(1),
          ahead: i % 5,
          behind: i % 3,
          conflicts: i % 7 ? null : '["ex.ipynb"]',
          checked_at: t,
          update_status: i % 3 ? 'merged' : 'conflict',
          update_message: '',
          updated_at: t,
          merged_sha: JSON.stringify([sha(900_000 + from + i)]),
        })),
      )
      .execute();
    await db
      .insertInto('forge_pushes')
      .values(
        ids.flatMap((_, i) =>
          [0, 1, 2].map((k) => ({
            event_key: `event:${from + i}:${k}`,
            project_id: 10_000 + from + i,
            ref: 'main',
            before_sha: null,
            after_sha: sha((from + i) * 10 + Math.min(k, 1)),
            pushed_at: t - 3600_000 * (3 - k),
            author: 'bot',
            received_at: t,
          })),
        ),
      )
      .execute();
    await db
      .insertInto('submissions')
      .values(
        ids.map((id, i) => ({
          assignment_id: a.id,
          user_id: id,
          fork_id: 10_000 + from + i,
          deadline: t - 7200_000,
          commit_sha: sha((from + i) * 10),
          pushed_at: t - 10_800_000,
          tag: 'submitted/x',
          locked_at: null,
          recorded_at: t,
          late_sha: i % 4 ? null : sha((from + i) * 10 + 1),
          late_pushed_at: i % 4 ? null : t - 3600_000,
        })),
      )
      .execute();
    await db
      .insertInto('grading_jobs')
      .values(
        ids.map((id, i) => ({
          id: randomUUID(),
          job_key: `${a.id}:${id}:s:g`,
          run_id: 'r',
          assignment_id: a.id,
          user_id: id,
          fork_id: i,
          submission_commit: 's',
          grading_commit: 'g',
          status: 'done',
          attempts: 1,
          lease_owner: null,
          lease_until: null,
          score: i % 8,
          max_score: 7,
          result: null,
          error: null,
          created_at: t,
          updated_at: t,
          finished_at: t,
        })),
      )
      .execute();
  }
  const session = await app.services.sessions.startSession({
    userId: teacher,
    courseId: course.id,
    role: 'teacher',
    via: 'bench',
    locale: 'en',
    returnUrl: undefined,
    ttlSeconds: 3600,
  });
  const get = async (url: string) => {
    const started = performance.now();
    const res = await app.server.inject({ method: 'GET', url, cookies: { labgate_session: session.id } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    return { ms: performance.now() - started, bytes: res.rawPayload.length };
  };
  const median = async (url: string) => {
    await get(url);
    const runs = [];
    for (let i = 0; i < rounds; i++) runs.push(await get(url));
    runs.sort((x, y) => x.ms - y.ms);
    return runs[Math.floor(runs.length / 2)]!;
  };
  const base = `/courses/${course.id}/assignments/ex1/roster`;
  const page = await median(`${base}?sort=score&desc=1`);
  const csv = await median(`${base}.csv`);
  const trivial = await median('/healthz');
  console.log(`roster of ${learners} learners, median of ${rounds} (server time, in process, SQLite):`);
  console.log(
    `  HTML page  ${page.ms.toFixed(1)} ms (${(page.bytes / 1024).toFixed(0)} KiB)   ratio to /healthz ${(page.ms / trivial.ms).toFixed(0)}`,
  );
  console.log(`  CSV        ${csv.ms.toFixed(1)} ms (${(csv.bytes / 1024).toFixed(0)} KiB)`);
  console.log(`  /healthz   ${trivial.ms.toFixed(2)} ms`);
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
