import type { FastifyRequest } from 'fastify';
import type { CourseStore } from '../../courses/index.ts';
import type { SessionStore } from '../../identity/index.ts';
import { pickLang } from '../i18n.ts';
import { readSessionId } from '../session-cookie.ts';
import { webErrors } from '../web-errors.ts';

export interface CourseStaffDeps {
  sessions: Pick<SessionStore, 'findSession'>;
  courses: Pick<CourseStore, 'findCourse' | 'findRole'>;
}

/**
 * The check of every staff page of a course: the session, when it belongs to a teacher or TA of this
 * course (the LMS's role at their last launch), with the course and the language to answer in.
 */
export function courseStaff(deps: CourseStaffDeps) {
  return async function staff(request: FastifyRequest, courseId: string) {
    const id = readSessionId(request);
    const session = id ? await deps.sessions.findSession(id) : undefined;
    if (!session) throw webErrors.noSession();
    const role = await deps.courses.findRole(courseId, session.userId);
    if (role !== 'teacher' && role !== 'ta') throw webErrors.staffOnly();
    const course = await deps.courses.findCourse(courseId);
    if (!course) throw webErrors.staffOnly();
    const q = request.query as { lang?: string };
    return { session, course, lang: pickLang({ query: q.lang, session: session.locale }) };
  };
}
