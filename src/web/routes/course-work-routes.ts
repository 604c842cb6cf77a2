import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Assignment, AssignmentStore } from '../../courses/index.ts';
import {
  teachingErrors,
  type CourseDeadlines,
  type CourseUpkeep,
  type DeadlineKeeper,
  type PushLedger,
} from '../../flows/index.ts';
import { isFormBody } from '../form-body.ts';
import { webErrors } from '../web-errors.ts';
import { isTimeZone, zonedTime } from '../zoned-time.ts';
import { courseStaff, type CourseStaffDeps } from './course-staff.ts';

export interface CourseWorkRouteDeps extends CourseStaffDeps {
  assignments: Pick<AssignmentStore, 'findAssignment'>;
  upkeep: Pick<CourseUpkeep, 'start' | 'task'>;
  keeper: Pick<DeadlineKeeper, 'keep'>;
  deadlines: CourseDeadlines;
  ledger: Pick<PushLedger, 'receive'>;
  /** Changes the file learners land in (checked in the template). */
  openFiles: { change(a: Assignment, typed: string): Promise<void> };
}

type Params = { courseId: string; slug: string };

/** `+3`, `+3 d`, `+3 days`, `+3 jours`: an extension counted from the assignment's deadline. */
const relativeDays = /^\+\s*(\d{1,3})\s*(d|days?|j|jours?)?$/i;

/**
 * What the teacher does to an assignment's forks and deadlines from the roster (each a form that
 * answers with the roster again), and the forge's push hooks.
 */
export function registerCourseWorkRoutes(server: FastifyInstance, deps: CourseWorkRouteDeps) {
  const staff = courseStaff(deps);

  async function target(request: FastifyRequest) {
    const p = request.params as Params;
    const s = await staff(request, p.courseId);
    const assignment = await deps.assignments.findAssignment(s.course.id, p.slug);
    if (!assignment) throw webErrors.noAssignment(p.slug);
    const fields = isFormBody(request.body) ? request.body.fields : new URLSearchParams();
    const back = (done: string) =>
      `/courses/${encodeURIComponent(s.course.id)}/assignments/${encodeURIComponent(assignment.slug)}/roster?lang=${s.lang}&done=${done}`;
    return { ...s, assignment, fields, back };
  }

  const instant = (local: string, zone: string) => {
    if (!isTimeZone(zone)) throw teachingErrors.badZone(zone);
    const at = zonedTime(local, zone);
    if (at === undefined) throw teachingErrors.badTime(local);
    return at;
  };

  const post = (path: string, act: (a: Assignment, f: URLSearchParams) => Promise<string>) =>
    server.post(`/courses/:courseId/assignments/:slug/${path}`, async (request, reply) => {
      const t = await target(request);
      const done = await act(t.assignment, t.fields);
      return reply.redirect(t.back(done), 303);
    });

  post('check', async (a) => (deps.upkeep.start(a, 'check'), 'check'));
  post('update-forks', async (a) => (deps.upkeep.start(a, 'update'), 'update'));
  post('record', async (a) => (await deps.keeper.keep(a), 'record'));
  post('open-file', async (a, f) => (await deps.openFiles.change(a, f.get('openFile') ?? ''), 'open-file'));
  post('deadline', async (a, f) => {
    await deps.deadlines.setDeadline(a, instant(f.get('deadline') ?? '', f.get('zone') || 'UTC'));
    return 'deadline';
  });
  post('extensions', async (a, f) => {
    const until = (f.get('until') ?? '').trim();
    const days = relativeDays.exec(until);
    await deps.deadlines.extend(
      a,
      f.get('learner') ?? '',
      days ? { days: Number(days[1]) } : { at: instant(until, f.get('zone') || 'UTC') },
    );
    return 'extension';
  });

  server.get('/courses/:courseId/assignments/:slug/progress.json', async (request, reply) => {
    const p = request.params as Params;
    const s = await staff(request, p.courseId);
    const assignment = await deps.assignments.findAssignment(s.course.id, p.slug);
    if (!assignment) throw webErrors.noAssignment(p.slug);
    return reply.header('cache-control', 'no-store').send({ task: deps.upkeep.task(assignment.id) ?? null });
  });

  // GitLab posts push hooks here (X-Gitlab-Token is their proof): no session, no CSRF token.
  server.post(
    '/hooks/forge',
    { config: { csrfExempt: true }, bodyLimit: 4 * 1024 * 1024 },
    async (request) => {
      await deps.ledger.receive(request.headers, request.body);
      return { ok: true };
    },
  );
}
