import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeedbackRelease, GradeReport, GradingRuns } from '../../flows/index.ts';
import type { Lang } from '../i18n.ts';
import { gradesCsv, gradesFileName } from '../grades-csv.ts';
import { gradesPage } from '../pages/grades-page.ts';
import { courseStaff, type CourseStaffDeps } from './course-staff.ts';

export interface GradesRouteDeps extends CourseStaffDeps {
  report: Pick<GradeReport, 'assignmentGrades' | 'courseGrades'>;
  feedback: Pick<FeedbackRelease, 'release' | 'withdraw' | 'sendGrades' | 'retryFailed' | 'progress'>;
  /** Grading from the web, when a container engine and an image are configured. */
  runs?: Pick<GradingRuns, 'run'> | undefined;
}

type Params = { courseId: string; slug: string };

/** What a form did, said back on the page; counts come back in the query (numbers only). */
const notices = {
  en: {
    release: (n: number, g: number) =>
      `Feedback released: FEEDBACK.md is on its way to ${n} forks; ${g} grades queued for the LMS.`,
    withdraw: () =>
      'Feedback withdrawn: learners no longer see it here. FEEDBACK.md files already committed stay in their forks.',
    send: (_: number, g: number) => `${g} grades queued for the LMS.`,
    retry: (n: number) => `${n} failed deliveries of FEEDBACK.md are tried again.`,
    grading: () => 'Grading started: its progress shows below.',
  },
  fr: {
    release: (n: number, g: number) =>
      `Retours publiés : FEEDBACK.md part vers ${n} copies ; ${g} notes en file pour le LMS.`,
    withdraw: () =>
      'Retours retirés : les apprenant·es ne les voient plus ici. Les FEEDBACK.md déjà déposés restent dans leurs copies.',
    send: (_: number, g: number) => `${g} notes en file pour le LMS.`,
    retry: (n: number) => `${n} dépôts de FEEDBACK.md en échec sont réessayés.`,
    grading: () => 'Correction lancée : son avancement s’affiche ci-dessous.',
  },
} satisfies Record<Lang, Record<string, (n: number, g: number) => string>>;

const count = (v: unknown) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : 0;
};

/** The grades page of an assignment (release switch, LMS, deliveries) and the CSV exports; staff only. */
export function registerGradesRoutes(server: FastifyInstance, deps: GradesRouteDeps) {
  const staff = courseStaff(deps);
  const base = (courseId: string, slug: string) =>
    `/courses/${encodeURIComponent(courseId)}/assignments/${encodeURIComponent(slug)}`;

  server.get('/courses/:courseId/assignments/:slug/grades', async (request, reply) => {
    const p = request.params as Params;
    const { course, lang, session } = await staff(request, p.courseId);
    const { assignment, rows } = await deps.report.assignmentGrades(course.id, p.slug);
    const q = request.query as { done?: string; n?: string; g?: string };
    const said = q.done && Object.hasOwn(notices[lang], q.done) ? q.done : undefined;
    const body = gradesPage({
      lang,
      courseId: course.id,
      assignment,
      csrfToken: session.csrfToken,
      rows,
      progress: deps.feedback.progress(assignment.id),
      notice: said && notices[lang][said as keyof (typeof notices)['en']](count(q.n), count(q.g)),
      grading: deps.runs ? { run: deps.runs.run(assignment.id) } : undefined,
    });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  });

  type Done = { done: keyof (typeof notices)['en']; n?: number; g?: number };
  const post = (path: string, act: (courseId: string, slug: string, userId: string) => Promise<Done>) =>
    server.post(`/courses/:courseId/assignments/:slug/grades/${path}`, async (request, reply) => {
      const p = request.params as Params;
      const { course, lang, session } = await staff(request, p.courseId);
      const done = await act(course.id, p.slug, session.userId);
      const query = new URLSearchParams({
        lang,
        done: done.done,
        n: String(done.n ?? 0),
        g: String(done.g ?? 0),
      });
      return reply.redirect(`${base(course.id, p.slug)}/grades?${query}`, 303);
    });

  post('release', async (c, s, by) => {
    const r = await deps.feedback.release(c, s, by);
    server.log.info({ courseId: c, slug: s, by, learners: r.learners }, 'feedback released');
    return { done: 'release', n: r.learners, g: r.grades.queued + r.grades.unchanged };
  });
  post('withdraw', async (c, s) => (await deps.feedback.withdraw(c, s), { done: 'withdraw' }));
  post('send', async (c, s) => {
    const r = await deps.feedback.sendGrades(c, s);
    return { done: 'send', g: r.grades.queued + r.grades.unchanged };
  });
  post('retry', async (c, s) => ({ done: 'retry', n: await deps.feedback.retryFailed(c, s) }));

  server.get('/courses/:courseId/assignments/:slug/grades/progress.json', async (request, reply) => {
    const p = request.params as Params;
    const { course } = await staff(request, p.courseId);
    const { assignment } = await deps.report.assignmentGrades(course.id, p.slug);
    return reply
      .header('cache-control', 'no-store')
      .send({ feedback: deps.feedback.progress(assignment.id) ?? null });
  });

  const sendCsv = (reply: FastifyReply, name: string, rows: Parameters<typeof gradesCsv>[0]) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(Readable.from(gradesCsv(rows, { bom: true })));

  server.get('/courses/:courseId/assignments/:slug/grades.csv', async (request: FastifyRequest, reply) => {
    const p = request.params as Params;
    const { course } = await staff(request, p.courseId);
    const { assignment, rows } = await deps.report.assignmentGrades(course.id, p.slug);
    return sendCsv(reply, gradesFileName(course, assignment.slug), rows);
  });

  server.get('/courses/:courseId/grades.csv', async (request, reply) => {
    const { course } = await staff(request, (request.params as Params).courseId);
    const { rows } = await deps.report.courseGrades(course.id);
    return sendCsv(reply, gradesFileName(course), rows);
  });
}
