import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AssignmentStore, CourseStore, RosterStore } from '../../courses/index.ts';
import type { SessionStore } from '../../identity/index.ts';
import { pickLang } from '../i18n.ts';
import { coursePage } from '../pages/course-page.ts';
import { rosterPage } from '../pages/roster-page.ts';
import { arrange, rosterColumns, rosterCsv, type RosterColumn } from '../roster-table.ts';
import { readSessionId } from '../session-cookie.ts';
import { webErrors } from '../web-errors.ts';

export interface CourseRouteDeps {
  sessions: Pick<SessionStore, 'findSession'>;
  courses: Pick<CourseStore, 'findCourse' | 'findRole'>;
  assignments: Pick<AssignmentStore, 'listAssignments' | 'findAssignment'>;
  roster: RosterStore;
}

type Params = { courseId: string; slug: string };
type Query = { sort?: string; desc?: string; filter?: string; lang?: string };

/** The course's staff pages: the course page, each assignment's roster as HTML, CSV and JSON. */
export function registerCourseRoutes(server: FastifyInstance, deps: CourseRouteDeps) {
  /** The session, when it belongs to a teacher or TA of this course (the LMS's role at their last launch). */
  async function staff(request: FastifyRequest, courseId: string) {
    const id = readSessionId(request);
    const session = id ? await deps.sessions.findSession(id) : undefined;
    if (!session) throw webErrors.noSession();
    const role = await deps.courses.findRole(courseId, session.userId);
    if (role !== 'teacher' && role !== 'ta') throw webErrors.staffOnly();
    const course = await deps.courses.findCourse(courseId);
    if (!course) throw webErrors.staffOnly();
    const q = request.query as Query;
    return { session, course, lang: pickLang({ query: q.lang, session: session.locale }) };
  }

  async function rosterOf(request: FastifyRequest) {
    const p = request.params as Params;
    const { course, lang } = await staff(request, p.courseId);
    const assignment = await deps.assignments.findAssignment(course.id, p.slug);
    if (!assignment) throw webErrors.noAssignment(p.slug);
    const all = await deps.roster(course.id, assignment);
    const q = request.query as Query;
    const sort = (rosterColumns as readonly string[]).includes(q.sort ?? '')
      ? (q.sort as RosterColumn)
      : 'name';
    const desc = q.desc === '1';
    const filter = (q.filter ?? '').slice(0, 200);
    return { course, lang, assignment, all, sort, desc, filter, rows: arrange(all, { sort, desc, filter }) };
  }

  server.get('/courses/:courseId', async (request, reply) => {
    const { course, lang } = await staff(request, (request.params as Params).courseId);
    const assignments = await deps.assignments.listAssignments(course.id);
    const withRows = await Promise.all(
      assignments.map(async (a) => ({ assignment: a, rows: await deps.roster(course.id, a) })),
    );
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(coursePage({ lang, courseId: course.id, title: course.title, assignments: withRows }));
  });

  server.get('/courses/:courseId/assignments/:slug/roster', async (request, reply) => {
    const r = await rosterOf(request);
    const body = rosterPage({
      lang: r.lang,
      courseId: r.course.id,
      assignment: r.assignment,
      rows: r.rows,
      total: r.all.length,
      sort: r.sort,
      desc: r.desc,
      filter: r.filter,
    });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  });

  server.get('/courses/:courseId/assignments/:slug/roster.csv', async (request, reply) => {
    const r = await rosterOf(request);
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="roster-${r.assignment.slug}.csv"`)
      .send(Readable.from(rosterCsv(r.rows)));
  });

  server.get('/courses/:courseId/assignments/:slug/roster.json', async (request, reply) => {
    const r = await rosterOf(request);
    return reply
      .header('cache-control', 'no-store')
      .send({ assignment: r.assignment.slug, learners: r.rows });
  });
}
