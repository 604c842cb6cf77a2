import type { FastifyInstance } from 'fastify';
import type { AssignmentStore } from '../../courses/index.ts';
import type { GradingRuns } from '../../flows/index.ts';
import { webErrors } from '../web-errors.ts';
import { courseStaff, type CourseStaffDeps } from './course-staff.ts';

export interface GradingRunRouteDeps extends CourseStaffDeps {
  assignments: Pick<AssignmentStore, 'findAssignment'>;
  runs: Pick<GradingRuns, 'start' | 'run'>;
}

type Params = { courseId: string; slug: string };

/** "Grade submissions" from the grades page, and its progress for the page to poll. */
export function registerGradingRunRoutes(server: FastifyInstance, deps: GradingRunRouteDeps) {
  const staff = courseStaff(deps);
  async function target(params: unknown, request: Parameters<typeof staff>[0]) {
    const p = params as Params;
    const s = await staff(request, p.courseId);
    const assignment = await deps.assignments.findAssignment(s.course.id, p.slug);
    if (!assignment) throw webErrors.noAssignment(p.slug);
    return { ...s, assignment };
  }

  server.post('/courses/:courseId/assignments/:slug/grade', async (request, reply) => {
    const t = await target(request.params, request);
    deps.runs.start(t.assignment);
    const page = `/courses/${encodeURIComponent(t.course.id)}/assignments/${encodeURIComponent(t.assignment.slug)}/grades`;
    return reply.redirect(`${page}?lang=${t.lang}&done=grading`, 303);
  });

  server.get('/courses/:courseId/assignments/:slug/grading-run.json', async (request, reply) => {
    const t = await target(request.params, request);
    return reply.header('cache-control', 'no-store').send({ run: deps.runs.run(t.assignment.id) ?? null });
  });
}
