import type { FastifyInstance } from 'fastify';
import type { AssignmentStore } from '../../courses/index.ts';
import type { GradePassback } from '../../flows/index.ts';
import { isFormBody } from '../form-body.ts';
import { webErrors } from '../web-errors.ts';
import { courseStaff, type CourseStaffDeps } from './course-staff.ts';

export interface GradeRouteDeps extends CourseStaffDeps {
  assignments: Pick<AssignmentStore, 'findAssignment'>;
  passback: Pick<GradePassback, 'sendAgain'>;
}

type Params = { courseId: string; slug: string };

/** The roster's "Send again" (a learner's grade to the LMS once more): staff only, CSRF-checked form. */
export function registerGradeRoutes(server: FastifyInstance, deps: GradeRouteDeps) {
  const staff = courseStaff(deps);

  server.post('/courses/:courseId/assignments/:slug/grades/send-again', async (request, reply) => {
    const p = request.params as Params;
    const s = await staff(request, p.courseId);
    const assignment = await deps.assignments.findAssignment(s.course.id, p.slug);
    if (!assignment) throw webErrors.noAssignment(p.slug);
    const fields = isFormBody(request.body) ? request.body.fields : new URLSearchParams();
    await deps.passback.sendAgain(assignment.id, fields.get('learner') ?? '');
    const back = `/courses/${encodeURIComponent(s.course.id)}/assignments/${encodeURIComponent(assignment.slug)}/roster?lang=${s.lang}&done=send-again`;
    return reply.redirect(back, 303);
  });
}
