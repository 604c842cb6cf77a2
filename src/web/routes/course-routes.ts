import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AssignmentStore, CourseStore, RosterStore } from '../../courses/index.ts';
import type { CourseTask } from '../../flows/index.ts';
import type { SessionStore } from '../../identity/index.ts';
import { coursePage } from '../pages/course-page.ts';
import { lmsLaunchUrls } from '../pages/lms-link-help.ts';
import { rosterActionsOf } from '../pages/roster-actions.ts';
import { rosterPage } from '../pages/roster-page.ts';
import { arrange, rosterColumns, rosterCsv, type RosterColumn } from '../roster-table.ts';
import { webErrors } from '../web-errors.ts';
import { courseStaff } from './course-staff.ts';

export interface CourseRouteDeps {
  sessions: Pick<SessionStore, 'findSession'>;
  courses: Pick<CourseStore, 'findCourse' | 'findRole'>;
  assignments: Pick<AssignmentStore, 'listAssignments' | 'findAssignment'>;
  roster: RosterStore;
  /** The class-wide job running on an assignment's forks, if any (its progress shows on the roster). */
  tasks?: (assignmentId: string) => CourseTask | undefined;
  /** labgate's public URL, for the launch URLs the course page shows. */
  publicBaseUrl: URL;
}

type Params = { courseId: string; slug: string };
type Query = {
  sort?: string;
  desc?: string;
  filter?: string;
  lang?: string;
  published?: string;
  done?: string;
};

/** The course's staff pages: the course page, each assignment's roster as HTML, CSV and JSON. */
export function registerCourseRoutes(server: FastifyInstance, deps: CourseRouteDeps) {
  const staff = courseStaff(deps);

  async function rosterOf(request: FastifyRequest) {
    const p = request.params as Params;
    const { course, lang, session } = await staff(request, p.courseId);
    const assignment = await deps.assignments.findAssignment(course.id, p.slug);
    if (!assignment) throw webErrors.noAssignment(p.slug);
    const all = await deps.roster(course.id, assignment);
    const q = request.query as Query;
    const sort = (rosterColumns as readonly string[]).includes(q.sort ?? '')
      ? (q.sort as RosterColumn)
      : 'name';
    const desc = q.desc === '1';
    const filter = (q.filter ?? '').slice(0, 200);
    const rows = arrange(all, { sort, desc, filter });
    return { course, lang, session, assignment, all, sort, desc, filter, rows };
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
      .send(
        coursePage({
          lang,
          courseId: course.id,
          title: course.title,
          assignments: withRows,
          launchUrls: lmsLaunchUrls(deps.publicBaseUrl),
          published: (request.query as Query).published,
        }),
      );
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
      ...rosterActionsOf({ ...r, task: deps.tasks?.(r.assignment.id), done: (request.query as Query).done }),
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
